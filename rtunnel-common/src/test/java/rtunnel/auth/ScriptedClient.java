package rtunnel.auth;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ServerHello;

/**
 * A client for hostile tests: it follows the handshake up to AUTH, without checking the server's host key,
 * then sends whatever key blob and signature the test gives it, even ones no {@link SshPublicKey} can hold.
 */
public final class ScriptedClient {

    /** The client token every scripted AUTH carries. */
    private static final byte[] TOKEN = new byte[AuthRequest.TOKEN_LENGTH];

    private ScriptedClient() {
    }

    /** The frame reader and writer of a test socket, which gives up reading after 10 s. */
    public static FrameExchange exchangeOver(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return new FrameExchange(new FrameReader(new BufferedInputStream(socket.getInputStream())),
                new FrameWriter(new BufferedOutputStream(socket.getOutputStream())));
    }

    /** A signature blob that is well formed and proves nothing: the algorithm's name and 64 zero bytes. */
    public static byte[] garbageSignature(String algorithm) {
        return new SshBlobWriter().writeText(algorithm).writeString(new byte[64]).toByteArray();
    }

    /** An ssh-rsa key blob with these numbers, whatever their size. */
    public static byte[] rsaBlob(BigInteger exponent, BigInteger modulus) {
        return new SshBlobWriter().writeText("ssh-rsa").writeMpint(exponent).writeMpint(modulus).toByteArray();
    }

    /** Sends the preamble and CLIENT_HELLO and reads the preamble and SERVER_HELLO, and goes no further. */
    public static void hello(FrameExchange exchange, SecureRandom random) throws IOException {
        agree(exchange, random);
    }

    private static Agreed agree(FrameExchange exchange, SecureRandom random) throws IOException {
        KeyExchange keyExchange = new KeyExchange(random);
        byte[] nonce = new byte[ClientHello.NONCE_LENGTH];
        random.nextBytes(nonce);
        ClientHello hello = new ClientHello(nonce, keyExchange.publicKey(), ProtectionMode.offered());
        exchange.writer().writePreamble();
        exchange.send(hello.toFrame());
        exchange.reader().readPreamble();
        ServerHello answer = ServerHello.from(exchange.expect(FrameType.SERVER_HELLO, true));
        byte[] transcript = Transcript.hash(hello, answer);
        ProtectionMode mode = ProtectionMode.named(answer.protection()).orElseThrow();
        return new Agreed(transcript, SessionKeys.derive(mode, keyExchange.sharedSecret(answer.ephemeralKey()), transcript));
    }

    /**
     * Runs the handshake with an AUTH naming {@code keyBlob} and carrying {@code signature}; returns the
     * server's answer (AUTH_OK or ERROR), or null when it hung up.
     */
    public static Frame authenticate(FrameExchange exchange, byte[] keyBlob, byte[] signature, SecureRandom random)
            throws IOException {
        Agreed agreed = agree(exchange, random);
        exchange.writer().protectWith(agreed.keys().clientToServer());
        exchange.reader().protectWith(agreed.keys().serverToClient());
        exchange.send(new AuthRequest(TOKEN, keyBlob, signature).toFrame());
        return exchange.reader().read();
    }

    /**
     * Runs the handshake with one AUTH per blob of {@code keyBlobs}, each carrying {@code signature}, while the
     * server answers AUTH_RETRY; returns every answer in order, the last one null when the server hung up.
     */
    public static List<Frame> authenticateWithEach(FrameExchange exchange, List<byte[]> keyBlobs, byte[] signature,
            SecureRandom random) throws IOException {
        Agreed agreed = agree(exchange, random);
        exchange.writer().protectWith(agreed.keys().clientToServer());
        exchange.reader().protectWith(agreed.keys().serverToClient());
        List<Frame> answers = new ArrayList<>();
        for (byte[] blob : keyBlobs) {
            exchange.send(new AuthRequest(TOKEN, blob, signature).toFrame());
            Frame answer = exchange.reader().read();
            answers.add(answer);
            if (answer == null || answer.type() != FrameType.AUTH_RETRY) {
                break;
            }
        }
        return answers;
    }

    /** Runs the handshake as {@code key}'s holder, signing as a real client does; returns the server's answer. */
    public static Frame authenticateAs(FrameExchange exchange, SshPrivateKey key, SecureRandom random)
            throws IOException {
        Agreed agreed = agree(exchange, random);
        exchange.writer().protectWith(agreed.keys().clientToServer());
        exchange.reader().protectWith(agreed.keys().serverToClient());
        byte[] blob = key.publicKey().blob();
        exchange.send(new AuthRequest(TOKEN, blob, key.sign(Transcript.clientSigned(agreed.transcript(), blob))).toFrame());
        return exchange.reader().read();
    }

    /** What the hellos agreed: the transcript hash and the session keys. */
    private record Agreed(byte[] transcript, SessionKeys keys) {
    }
}
