package rtunnel.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * An SSH public key (ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of at least 2048 bits),
 * identified by its wire blob: the Base64-decoded key field of an authorized_keys line. Immutable.
 */
public final class SshPublicKey {

    /** The smallest RSA modulus accepted: the floor NIST SP 800-131A and current OpenSSH defaults set. */
    static final int MIN_RSA_BITS = 2048;

    /**
     * The largest RSA modulus accepted. A client names its key, so the server's cost of checking a
     * signature is the client's choice, and grows with the square of the modulus: with a 32-bit exponent,
     * 1-1.5 ms at 8192 bits, 3-6 ms at 16384 (OpenSSH's limit), too near the 5 ms a hostile handshake may
     * cost (docs/security.md). Keys above 4096 bits are rare and above 8192 unheard of in practice.
     */
    static final int MAX_RSA_BITS = 8192;

    /**
     * The longest RSA public exponent accepted, in bits (below 2^32): every common tool makes 65537, of 17
     * bits. Checking a signature costs a squaring of the modulus per exponent bit, so without a limit a
     * 16384-bit exponent made one check cost 1.3 s. OpenSSL allows 64 bits above 3072-bit moduli.
     */
    static final int MAX_RSA_EXPONENT_BITS = 32;

    private final SshKeyType type;
    private final byte[] blob;
    private final AsymmetricKeyParameter key;

    private SshPublicKey(SshKeyType type, byte[] blob, AsymmetricKeyParameter key) {
        this.type = type;
        this.blob = blob;
        this.key = key;
    }

    /**
     * Parses a key blob to be trusted: a malformed blob, an unsupported type or an RSA key outside the
     * limits is refused, and so is an RSA modulus that BouncyCastle finds weak (even, a small factor, prime).
     */
    public static SshPublicKey fromBlob(byte[] blob) {
        return parse(blob, true);
    }

    /**
     * Parses a key a peer names, to check its signature and for nothing the signature does not prove. It is
     * refused as {@link #fromBlob} refuses, except that an RSA modulus is not tested for weakness: that test
     * costs an exponentiation as long as the modulus (7 ms at 2048 bits, 160 ms at 8192, measured in
     * docs/security.md), and a weak key the peer chose only lets it forge signatures of its own key.
     */
    public static SshPublicKey fromPeer(byte[] blob) {
        return parse(blob, false);
    }

    private static SshPublicKey parse(byte[] blob, boolean testRsaModulus) {
        String name;
        try {
            name = new SshBlobReader(blob).readText();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed SSH public key: " + e.getMessage());
        }
        SshKeyType type = SshKeyType.named(name).orElseThrow(
                () -> new IllegalArgumentException("unsupported key type " + SshKeyType.quote(name)));
        BigInteger[] rsa = type == SshKeyType.RSA ? KeyParameters.rsaNumbers(blob) : null;
        AsymmetricKeyParameter key;
        byte[] canonical;
        try {
            key = rsa == null ? OpenSSHPublicKeyUtil.parsePublicKey(blob)
                    : new RSAKeyParameters(false, rsa[1], rsa[0], !testRsaModulus);
            canonical = OpenSSHPublicKeyUtil.encodePublicKey(key);
            key = KeyParameters.onFastCurve(key);
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports bad points, truncation and trailing bytes with assorted exceptions.
            throw new IllegalArgumentException("malformed " + name + " public key");
        }
        if (!Arrays.equals(canonical, blob)) {
            throw new IllegalArgumentException("malformed " + name + " public key (not in canonical form)");
        }
        return new SshPublicKey(type, blob.clone(), key);
    }

    /** The public half of a private key, checked like any other key. */
    static SshPublicKey fromParameters(AsymmetricKeyParameter publicKey) throws IOException {
        return fromBlob(OpenSSHPublicKeyUtil.encodePublicKey(publicKey));
    }

    /** The wire name, such as {@code ssh-ed25519}. */
    public String type() {
        return type.sshName();
    }

    SshKeyType keyType() {
        return type;
    }

    public byte[] blob() {
        return blob.clone();
    }

    /** The fingerprint exactly as {@code ssh-keygen -l} prints it: {@code SHA256:} and unpadded Base64. */
    public String fingerprint() {
        return fingerprint(blob);
    }

    /** The fingerprint of a key blob, whether or not it parses: a refusal can name a key without parsing it. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Whether {@code signatureBlob} (string algorithm, string signature: RFC 4253 §6.6) is this key's
     * signature of {@code data}. RSA accepts rsa-sha2-256 and rsa-sha2-512 only. Malformed blobs are false.
     */
    public boolean verify(byte[] data, byte[] signatureBlob) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(signatureBlob, "signatureBlob");
        try {
            SshBlobReader reader = new SshBlobReader(signatureBlob);
            String algorithm = reader.readText();
            byte[] signature = reader.readString();
            reader.requireEnd();
            if (type == SshKeyType.RSA) {
                return verifyRsa(algorithm, data, signature);
            }
            if (!algorithm.equals(type.sshName())) {
                return false;
            }
            return type == SshKeyType.ED25519 ? verifyEd25519(data, signature) : verifyEcdsa(data, signature);
        } catch (RuntimeException e) {
            // Our reader and BouncyCastle report malformed signatures with assorted runtime
            // exceptions; whatever the cause, such a signature does not verify.
            return false;
        }
    }

    private boolean verifyEd25519(byte[] data, byte[] signature) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, key);
        signer.update(data, 0, data.length);
        return signer.verifySignature(signature);
    }

    /** RFC 5656 §3.1.2: the signature is string(mpint r, mpint s) over the curve's hash of the data. */
    private boolean verifyEcdsa(byte[] data, byte[] signature) {
        SshBlobReader reader = new SshBlobReader(signature);
        BigInteger r = reader.readPositiveMpint();
        BigInteger s = reader.readPositiveMpint();
        reader.requireEnd();
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(digest(type.newEcdsaDigest(), data), r, s);
    }

    private boolean verifyRsa(String algorithm, byte[] data, byte[] signature) {
        Optional<Digest> digest = SshKeyType.newRsaDigest(algorithm);
        if (digest.isEmpty()) {
            return false;
        }
        RSADigestSigner signer = new RSADigestSigner(digest.get());
        signer.init(false, key);
        signer.update(data, 0, data.length);
        return signer.verifySignature(signature);
    }

    static byte[] digest(Digest digest, byte[] data) {
        digest.update(data, 0, data.length);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SshPublicKey that && Arrays.equals(blob, that.blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    /** The type and fingerprint, safe to log. */
    @Override
    public String toString() {
        return type.sshName() + " " + fingerprint();
    }
}
