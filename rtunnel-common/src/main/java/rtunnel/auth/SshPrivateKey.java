package rtunnel.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Objects;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * An SSH private key loaded from a file ssh-keygen wrote, that signs in the SSH signature format.
 * Immutable and safe to share between threads; {@link #toString()} shows only the public key.
 */
public final class SshPrivateKey implements ClientIdentity {

    private final AsymmetricKeyParameter key;
    private final SshPublicKey publicKey;
    private final Path file;

    private SshPrivateKey(AsymmetricKeyParameter key, SshPublicKey publicKey, Path file) {
        this.key = key;
        this.publicKey = publicKey;
        this.file = file;
    }

    /**
     * Loads an OpenSSH, PEM or PKCS#8 key file, encrypted or not. Failures are {@link KeyFileException}s
     * whose one-line message starts with the file: "wrong passphrase", "not a private key file", ...
     */
    public static SshPrivateKey load(Path file, PassphraseSource passphrase) throws IOException {
        Objects.requireNonNull(passphrase, "passphrase");
        AsymmetricKeyParameter key = PrivateKeyFile.read(file, passphrase);
        try {
            return new SshPrivateKey(key, SshPublicKey.fromParameters(publicHalf(key)), file);
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyFileException(file, e.getMessage());
        }
    }

    private static AsymmetricKeyParameter publicHalf(AsymmetricKeyParameter key) {
        if (key instanceof Ed25519PrivateKeyParameters ed25519) {
            return ed25519.generatePublicKey();
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            ECDomainParameters domain = ec.getParameters();
            return new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(domain.getG(), ec.getD()).normalize(), domain);
        }
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        }
        if (key instanceof DSAPrivateKeyParameters) {
            throw new IllegalArgumentException("unsupported key type ssh-dss");
        }
        throw new IllegalArgumentException("unsupported key type " + key.getClass().getSimpleName());
    }

    /** The file it was loaded from. */
    @Override
    public String origin() {
        return file.toString();
    }

    @Override
    public SshPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code data} and returns an SSH signature blob (string algorithm, string signature):
     * ssh-ed25519, ecdsa-sha2-nistpNNN with the curve's hash, or rsa-sha2-256 for RSA.
     */
    @Override
    public byte[] sign(byte[] data) {
        Objects.requireNonNull(data, "data");
        SshKeyType type = publicKey.keyType();
        String algorithm = type == SshKeyType.RSA ? SshKeyType.RSA_SHA256 : type.sshName();
        byte[] signature;
        if (type == SshKeyType.ED25519) {
            signature = signEd25519(data);
        } else if (type == SshKeyType.RSA) {
            signature = signRsa(data);
        } else {
            signature = signEcdsa(type, data);
        }
        return new SshBlobWriter().writeText(algorithm).writeString(signature).toByteArray();
    }

    private byte[] signEd25519(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    /** Deterministic ECDSA (RFC 6979), encoded as string(mpint r, mpint s) per RFC 5656 §3.1.2. */
    private byte[] signEcdsa(SshKeyType type, byte[] data) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(type.newEcdsaDigest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(SshPublicKey.digest(type.newEcdsaDigest(), data));
        return new SshBlobWriter().writeMpint(rs[0]).writeMpint(rs[1]).toByteArray();
    }

    /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8332), padded to the modulus length as OpenSSH does. */
    private byte[] signRsa(byte[] data) {
        RSADigestSigner signer = new RSADigestSigner(new SHA256Digest());
        signer.init(true, key);
        signer.update(data, 0, data.length);
        byte[] signature;
        try {
            signature = signer.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("RSA signing failed", e);
        }
        int length = (((RSAKeyParameters) key).getModulus().bitLength() + 7) / 8;
        if (signature.length >= length) {
            return signature;
        }
        byte[] padded = new byte[length];
        System.arraycopy(signature, 0, padded, length - signature.length, signature.length);
        return padded;
    }

    @Override
    public String toString() {
        return "SshPrivateKey[" + publicKey + "]";
    }
}
