package rtunnel.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * OpenSSH's file signature format (PROTOCOL.sshsig), which {@code ssh-keygen -Y sign} writes and
 * {@code -Y verify} reads. Its inner signature is an ordinary SSH signature blob over {@link #signedData}.
 */
record SshSig(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";

    static SshSig parse(String armored) {
        String body = armored.substring(armored.indexOf(BEGIN) + BEGIN.length(), armored.indexOf(END));
        SshBlobReader reader = new SshBlobReader(Base64.getMimeDecoder().decode(body.strip()));
        if (!Arrays.equals(reader.readRaw(MAGIC.length), MAGIC) || reader.readLength() != 1) {
            throw new IllegalArgumentException("not an SSHSIG version 1 signature");
        }
        byte[] publicKey = reader.readString();
        String namespace = reader.readText();
        reader.readString(); // reserved
        String hashAlgorithm = reader.readText();
        byte[] signature = reader.readString();
        reader.requireEnd();
        return new SshSig(publicKey, namespace, hashAlgorithm, signature);
    }

    /** What the inner signature signs: the magic, namespace, reserved, hash algorithm and H(message). */
    byte[] signedData(byte[] message) {
        return signedData(namespace, hashAlgorithm, message);
    }

    static byte[] signedData(String namespace, String hashAlgorithm, byte[] message) {
        try {
            String jdkName = hashAlgorithm.equals("sha512") ? "SHA-512" : "SHA-256";
            byte[] hash = MessageDigest.getInstance(jdkName).digest(message);
            return new SshBlobWriter().writeRaw(MAGIC).writeText(namespace).writeString(new byte[0])
                    .writeText(hashAlgorithm).writeString(hash).toByteArray();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The armoured file, wrapped at 70 columns as ssh-keygen does. */
    String armor() {
        byte[] binary = new SshBlobWriter().writeRaw(MAGIC).writeRaw(new byte[] {0, 0, 0, 1}).writeString(publicKey)
                .writeText(namespace).writeString(new byte[0]).writeText(hashAlgorithm).writeString(signature)
                .toByteArray();
        String base64 = Base64.getEncoder().encodeToString(binary);
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < base64.length(); i += 70) {
            out.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        return out.append(END).append('\n').toString();
    }
}
