package rtunnel.auth;

import java.util.Optional;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The SSH key types rtunnel accepts, by their wire name. ECDSA hashes with the digest RFC 5656 §6.2.1
 * ties to each curve; Ed25519 hashes internally; RSA picks its digest by signature algorithm.
 */
enum SshKeyType {
    ED25519("ssh-ed25519"),
    ECDSA_NISTP256("ecdsa-sha2-nistp256"),
    ECDSA_NISTP384("ecdsa-sha2-nistp384"),
    ECDSA_NISTP521("ecdsa-sha2-nistp521"),
    RSA("ssh-rsa");

    /** RSA signature algorithms (RFC 8332); the SHA-1 "ssh-rsa" signature is never accepted. */
    static final String RSA_SHA256 = "rsa-sha2-256";
    static final String RSA_SHA512 = "rsa-sha2-512";

    private final String sshName;

    SshKeyType(String sshName) {
        this.sshName = sshName;
    }

    String sshName() {
        return sshName;
    }

    boolean isEcdsa() {
        return this != ED25519 && this != RSA;
    }

    static Optional<SshKeyType> named(String sshName) {
        for (SshKeyType type : values()) {
            if (type.sshName.equals(sshName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** A fresh digest for ECDSA over this curve: SHA-256, SHA-384 or SHA-512. */
    Digest newEcdsaDigest() {
        return switch (this) {
            case ECDSA_NISTP256 -> new SHA256Digest();
            case ECDSA_NISTP384 -> new SHA384Digest();
            case ECDSA_NISTP521 -> new SHA512Digest();
            default -> throw new IllegalStateException(sshName + " is not an ECDSA key type");
        };
    }

    /** A fresh digest for an RSA signature algorithm, or empty when rtunnel refuses that algorithm. */
    static Optional<Digest> newRsaDigest(String signatureAlgorithm) {
        return switch (signatureAlgorithm) {
            case RSA_SHA256 -> Optional.of(new SHA256Digest());
            case RSA_SHA512 -> Optional.of(new SHA512Digest());
            default -> Optional.empty();
        };
    }

    /** A name from a key or signature blob, made safe to quote in a message. */
    static String quote(String untrusted) {
        boolean printable = untrusted.length() <= 64 && untrusted.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        return printable ? untrusted : "(unprintable, " + untrusted.length() + " characters)";
    }
}
