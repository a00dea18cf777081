package rtunnel.auth;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.protocol.AuthRetry;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;

/**
 * The server asks its admission rule about a client's key before it checks the client's signature, and
 * refuses keys outside the limits before it computes with them: what a key costs the server is decided
 * before the costly part. A garbage signature shows the order: it would fail first if it were checked first.
 * A key refused before its signature is checked gets AUTH_RETRY: the client may offer its next key.
 */
@Timeout(30)
class KeyCheckOrderTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger F4 = BigInteger.valueOf(65537);
    /** A modulus one bit longer than allowed; never multiplied with anything. */
    private static final BigInteger TOO_LONG = BigInteger.ONE.shiftLeft(16_384).add(BigInteger.ONE);

    private static SshPrivateKey hostKey;
    private static ClientAdmission listed;

    @BeforeAll
    static void listOneKeyAndRevokeAnother(@TempDir Path dir) throws IOException {
        hostKey = Fixtures.privateKey("ed25519");
        listed = Fixtures.ed25519ListedRsa3072Revoked(dir);
    }

    @Test
    void anUnlistedKeyIsNotAuthorizedBeforeItsSignatureIsChecked() throws Exception {
        byte[] unlisted = Fixtures.publicBlob("ecdsa256");

        assertRetried("key " + Fixtures.FINGERPRINTS.get("ecdsa256") + " is not authorized", listed, unlisted,
                ScriptedClient.garbageSignature("ecdsa-sha2-nistp256"));
    }

    @Test
    void aRevokedKeyIsRevokedBeforeItsSignatureIsChecked() throws Exception {
        assertRetried("key " + Fixtures.FINGERPRINTS.get("rsa3072") + " is revoked", listed,
                Fixtures.publicBlob("rsa3072"), ScriptedClient.garbageSignature("rsa-sha2-256"));
    }

    @Test
    void aListedKeyHasItsSignatureChecked() throws Exception {
        assertRefused("signature by key " + Fixtures.FINGERPRINTS.get("ed25519") + " does not verify", listed,
                Fixtures.publicBlob("ed25519"), ScriptedClient.garbageSignature("ssh-ed25519"));
    }

    @Test
    void anOversizedKeyOnAServerWithAuthorizedKeysIsNotAuthorizedUnparsed() throws Exception {
        byte[] blob = ScriptedClient.rsaBlob(F4, TOO_LONG);

        assertRetried("key " + SshPublicKey.fingerprint(blob) + " is not authorized", listed, blob,
                ScriptedClient.garbageSignature("rsa-sha2-256"));
    }

    @Test
    void anOpenServerRefusesAnOversizedModulusOrExponentWithTheExactReason() throws Exception {
        BigInteger modulus = SshBlobs.rsaModulus(Fixtures.publicBlob("rsa2048"));
        BigInteger longExponent = BigInteger.ONE.shiftLeft(16_383).add(BigInteger.ONE);

        assertRetried("RSA key of 16385 bits is too long (at most 8192)", ClientAdmission.OPEN,
                ScriptedClient.rsaBlob(F4, TOO_LONG), ScriptedClient.garbageSignature("rsa-sha2-256"));
        assertRetried("RSA public exponent of 16384 bits is too long (at most 32)", ClientAdmission.OPEN,
                ScriptedClient.rsaBlob(longExponent, modulus), ScriptedClient.garbageSignature("rsa-sha2-256"));
    }

    @Test
    void theServerReportsEachStepAsItArrives() throws Exception {
        List<HandshakeProgress.Step> steps = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket server = listener.accept()) {
            FutureTask<HandshakeResult> serverSide = serve(server, ClientAdmission.OPEN, steps::add);
            ScriptedClient.hello(ScriptedClient.exchangeOver(client), RANDOM);
            assertEquals(List.of(HandshakeProgress.Step.HELLO), steps, "after SERVER_HELLO, before AUTH");
            client.close();
            assertThrows(ExecutionException.class, () -> serverSide.get(10, SECONDS));
        }
        steps.clear();
        assertEquals(FrameType.AUTH_OK, handshake(ClientAdmission.OPEN, Fixtures.publicBlob("ed25519"),
                null, steps::add).frame().type());
        assertEquals(List.of(HandshakeProgress.Step.HELLO, HandshakeProgress.Step.AUTH), steps);
    }

    /** The key is refused before its signature is checked, so the client may offer another (AUTH_RETRY). */
    private static void assertRetried(String reason, ClientAdmission admission, byte[] keyBlob, byte[] signature)
            throws Exception {
        Answer answer = handshake(admission, keyBlob, signature, HandshakeProgress.NONE);

        assertEquals(FrameType.AUTH_RETRY, answer.frame().type());
        assertEquals(reason, AuthRetry.from(answer.frame()).reason());
    }

    private static void assertRefused(String reason, ClientAdmission admission, byte[] keyBlob, byte[] signature)
            throws Exception {
        Answer answer = handshake(admission, keyBlob, signature, HandshakeProgress.NONE);

        assertEquals(FrameType.ERROR, answer.frame().type());
        assertEquals(reason, SessionError.from(answer.frame()).reason());
        assertEquals(reason, answer.refused().reason());
    }

    /** What the client got, and what the server threw. */
    private record Answer(Frame frame, RefusedException refused) {
    }

    /** A handshake whose AUTH names {@code keyBlob} with {@code signature} (null: a real ed25519 signature). */
    private static Answer handshake(ClientAdmission admission, byte[] keyBlob, byte[] signature,
            HandshakeProgress progress) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket server = listener.accept()) {
            FutureTask<HandshakeResult> serverSide = serve(server, admission, progress);
            Frame frame = signature == null
                    ? ScriptedClient.authenticateAs(ScriptedClient.exchangeOver(client), hostKey, RANDOM)
                    : ScriptedClient.authenticate(ScriptedClient.exchangeOver(client), keyBlob, signature, RANDOM);
            if (frame.type() == FrameType.AUTH_RETRY) {
                // The server waits for the next key: a client that has none hangs up.
                client.close();
            }
            try {
                serverSide.get(10, SECONDS);
                return new Answer(frame, null);
            } catch (ExecutionException e) {
                return new Answer(frame, e.getCause() instanceof RefusedException refused ? refused : null);
            }
        }
    }

    private static FutureTask<HandshakeResult> serve(Socket socket, ClientAdmission admission,
            HandshakeProgress progress) throws IOException {
        FrameExchange exchange = ScriptedClient.exchangeOver(socket);
        FutureTask<HandshakeResult> task = new FutureTask<>(
                () -> new ServerHandshake(RANDOM, hostKey, admission).run(exchange, progress));
        new Thread(task, "rtunnel-test-handshake-server").start();
        return task;
    }
}
