package rtunnel.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ServerHello;

/**
 * The handshake transcript hash: SHA-256 over the preamble, the whole CLIENT_HELLO payload and the signed
 * part of SERVER_HELLO. Both signatures and the session keys are bound to it, so changing any hello byte,
 * replaying an old handshake or splicing two sessions makes the peers disagree.
 */
final class Transcript {

    private static final byte[] SERVER_LABEL = "rtunnel v1 server signature".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT_LABEL = "rtunnel v1 client signature".getBytes(StandardCharsets.US_ASCII);

    private Transcript() {
    }

    static byte[] hash(ClientHello clientHello, ServerHello serverHello) {
        MessageDigest sha256 = sha256();
        sha256.update(Protocol.preamble());
        sha256.update(clientHello.toFrame().payload());
        sha256.update(serverHello.signedBytes());
        return sha256.digest();
    }

    /** What the server's host key signs. */
    static byte[] serverSigned(byte[] transcriptHash) {
        return concat(SERVER_LABEL, transcriptHash);
    }

    /** What the client's key signs: the transcript and the key itself. */
    static byte[] clientSigned(byte[] transcriptHash, byte[] clientKeyBlob) {
        return concat(concat(CLIENT_LABEL, transcriptHash), clientKeyBlob);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
