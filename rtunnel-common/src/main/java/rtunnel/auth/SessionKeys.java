package rtunnel.auth;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import rtunnel.protocol.FrameProtection;

/**
 * The two directions' frame protections, derived with HKDF-SHA256 from the X25519 secret and salted with
 * the transcript hash, so keys differ per direction and per session and are bound to what was said.
 */
record SessionKeys(FrameProtection clientToServer, FrameProtection serverToClient) {

    static SessionKeys derive(ProtectionMode mode, byte[] sharedSecret, byte[] transcriptHash) {
        return new SessionKeys(
                mode.create(expand(sharedSecret, transcriptHash, "rtunnel v1 client to server")),
                mode.create(expand(sharedSecret, transcriptHash, "rtunnel v1 server to client")));
    }

    static byte[] expand(byte[] secret, byte[] salt, String label) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, salt, label.getBytes(StandardCharsets.US_ASCII)));
        byte[] key = new byte[ProtectionMode.KEY_LENGTH];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }
}
