package rtunnel.auth;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
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
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;

/**
 * A client offers its keys one after another on one connection: the server answers AUTH_RETRY to each key
 * it refuses before checking its signature, AUTH_OK to the first it admits, and ends the handshake after
 * {@link ServerHandshake#MAX_AUTH_TRIES} keys, or at the first signature that does not verify.
 */
@Timeout(30)
class AuthRetryTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static SshPrivateKey hostKey;
    private static ClientAdmission listed;

    @BeforeAll
    static void listOneKeyAndRevokeAnother(@TempDir Path dir) throws IOException {
        hostKey = Fixtures.privateKey("ed25519");
        listed = Fixtures.ed25519ListedRsa3072Revoked(dir);
    }

    @Test
    void theClientOffersEachKeyInTurnAndGetsInWithTheListedOne() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        List<ClientIdentity> keys = List.of(Fixtures.privateKey("ecdsa256"), Fixtures.privateKey("rsa3072"),
                Fixtures.privateKey("ed25519"));

        Sides sides = handshake(keys, heard);

        ClientHandshake.Authenticated client = sides.client().get(10, SECONDS);
        HandshakeResult server = sides.server().get(10, SECONDS);
        List<String> reasons = List.of("key " + Fixtures.FINGERPRINTS.get("ecdsa256") + " is not authorized",
                "key " + Fixtures.FINGERPRINTS.get("rsa3072") + " is revoked");
        assertEquals(keys.get(2), client.accepted());
        assertEquals(reasons, client.refusals());
        assertEquals(Fixtures.FINGERPRINTS.get("ed25519"), server.clientKey().fingerprint());
        assertEquals(reasons, heard);
    }

    @Test
    void aClientOutOfKeysIsRefusedWithEveryReason() throws Exception {
        Sides sides = handshake(List.of(Fixtures.privateKey("ecdsa256"), Fixtures.privateKey("rsa3072")),
                new ArrayList<>());

        ExecutionException e = assertThrows(ExecutionException.class, () -> sides.client().get(10, SECONDS));
        RefusedException refused = assertInstanceOf(RefusedException.class, e.getCause());
        assertEquals(Refusal.AUTHENTICATION, refused.refusal());
        assertEquals("server refused the connection: key " + Fixtures.FINGERPRINTS.get("ecdsa256")
                + " is not authorized; key " + Fixtures.FINGERPRINTS.get("rsa3072") + " is revoked",
                refused.getMessage());
    }

    @Test
    void aHostileClientGetsSixKeysLookedUpAndNoSignatureChecked() throws Exception {
        List<byte[]> unlisted = new ArrayList<>();
        for (int i = 0; i < ServerHandshake.MAX_AUTH_TRIES + 3; i++) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            unlisted.add(new SshBlobWriter().writeText("ssh-ed25519").writeString(key).toByteArray());
        }
        byte[] garbage = ScriptedClient.garbageSignature("ssh-ed25519");

        Hostile hostile = hostileHandshake(unlisted, garbage);

        assertEquals(ServerHandshake.MAX_AUTH_TRIES, hostile.answers().size(), "one answer per key up to the limit");
        for (int i = 0; i < ServerHandshake.MAX_AUTH_TRIES - 1; i++) {
            assertEquals(new AuthRetry("key " + SshPublicKey.fingerprint(unlisted.get(i)) + " is not authorized"),
                    AuthRetry.from(hostile.answers().get(i)));
        }
        String last = "key " + SshPublicKey.fingerprint(unlisted.get(ServerHandshake.MAX_AUTH_TRIES - 1))
                + " is not authorized, and 6 keys are the most one connection may offer";
        assertEquals(new SessionError(Refusal.AUTHENTICATION, last),
                SessionError.from(hostile.answers().get(ServerHandshake.MAX_AUTH_TRIES - 1)));
        assertNull(hostile.after(), "the server closes the connection after its ERROR");
        assertEquals(last, hostile.refused().reason());
    }

    @Test
    void aListedKeyWithABadSignatureEndsTheHandshakeAtOnce() throws Exception {
        Hostile hostile = hostileHandshake(List.of(Fixtures.publicBlob("ecdsa256"), Fixtures.publicBlob("ed25519"),
                Fixtures.publicBlob("ecdsa384")), ScriptedClient.garbageSignature("ssh-ed25519"));

        assertEquals(FrameType.AUTH_RETRY, hostile.answers().get(0).type());
        String reason = "signature by key " + Fixtures.FINGERPRINTS.get("ed25519") + " does not verify";
        assertEquals(new SessionError(Refusal.AUTHENTICATION, reason), SessionError.from(hostile.answers().get(1)));
        assertEquals(2, hostile.answers().size());
        assertNull(hostile.after());
    }

    /** The futures of both sides of a real handshake. */
    private record Sides(FutureTask<ClientHandshake.Authenticated> client, FutureTask<HandshakeResult> server) {
    }

    private static Sides handshake(List<ClientIdentity> keys, List<String> heard) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket clientSocket = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket serverSocket = listener.accept()) {
            HandshakeProgress progress = new HandshakeProgress() {
                @Override
                public void reached(Step step) {
                }

                @Override
                public void keyRefused(String reason) {
                    heard.add(reason);
                }
            };
            FrameExchange serverExchange = ScriptedClient.exchangeOver(serverSocket);
            FutureTask<HandshakeResult> server = new FutureTask<>(
                    () -> new ServerHandshake(RANDOM, hostKey, listed).run(serverExchange, progress));
            FrameExchange clientExchange = ScriptedClient.exchangeOver(clientSocket);
            FutureTask<ClientHandshake.Authenticated> client = new FutureTask<>(() -> new ClientHandshake(RANDOM,
                    new byte[16], keys, ServerTrust.pinned(List.of()), ProtectionMode.DEFAULT).run(clientExchange));
            new Thread(server, "rtunnel-test-handshake-server").start();
            new Thread(client, "rtunnel-test-handshake-client").start();
            try {
                client.get(10, SECONDS);
                server.get(10, SECONDS);
            } catch (ExecutionException e) {
                // The test asks the failing side; closing the sockets ends the other one.
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the handshake did not end within 10 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new Sides(client, server);
        }
    }

    /** What a scripted client got for its AUTHs, what came after the last answer, and what the server threw. */
    private record Hostile(List<Frame> answers, Frame after, RefusedException refused) {
    }

    private static Hostile hostileHandshake(List<byte[]> blobs, byte[] signature) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket clientSocket = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket serverSocket = listener.accept()) {
            FrameExchange serverExchange = ScriptedClient.exchangeOver(serverSocket);
            FutureTask<HandshakeResult> server = new FutureTask<>(
                    () -> new ServerHandshake(RANDOM, hostKey, listed).run(serverExchange));
            new Thread(server, "rtunnel-test-handshake-server").start();
            FrameExchange client = ScriptedClient.exchangeOver(clientSocket);
            List<Frame> answers = ScriptedClient.authenticateWithEach(client, blobs, signature, RANDOM);
            ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(10, SECONDS));
            serverSocket.close();
            return new Hostile(answers, client.reader().read(), assertInstanceOf(RefusedException.class, e.getCause()));
        }
    }
}
