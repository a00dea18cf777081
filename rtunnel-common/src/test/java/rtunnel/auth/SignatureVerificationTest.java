package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile signature blobs: each must verify as false, never throw. */
class SignatureVerificationTest {

    private static final byte[] DATA = "session transcript".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"})
    void flippedBitFails(String name) throws IOException {
        SshPrivateKey key = Fixtures.privateKey(name);
        byte[] signature = key.sign(DATA);

        for (int i = 0; i < signature.length; i++) {
            byte[] damaged = signature.clone();
            damaged[i] ^= 0x01;
            assertFalse(key.publicKey().verify(DATA, damaged), "bit 0 of byte " + i);
        }
        byte[] otherData = DATA.clone();
        otherData[0] ^= 0x01;
        assertFalse(key.publicKey().verify(otherData, signature));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"})
    void truncatedOrPaddedBlobFails(String name) throws IOException {
        SshPrivateKey key = Fixtures.privateKey(name);
        byte[] signature = key.sign(DATA);

        for (int length = 0; length < signature.length; length++) {
            assertFalse(key.publicKey().verify(DATA, Arrays.copyOf(signature, length)), "first " + length + " bytes");
        }
        assertFalse(key.publicKey().verify(DATA, Arrays.copyOf(signature, signature.length + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa521", "rsa2048"})
    void garbageFails(String name) {
        SshPublicKey key = Fixtures.publicKey(name);
        Random random = new Random(42);

        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[random.nextInt(600)];
            random.nextBytes(garbage);
            assertFalse(key.verify(DATA, garbage));
            byte[] wrapped = blob(key.type(), garbage);
            assertFalse(key.verify(DATA, wrapped));
        }
        assertFalse(key.verify(DATA, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
    }

    @Test
    void signatureUnderAnotherAlgorithmNameFails() throws IOException {
        byte[] ed25519 = innerSignature(Fixtures.privateKey("ed25519").sign(DATA));
        byte[] rsa = innerSignature(Fixtures.privateKey("rsa2048").sign(DATA));

        assertFalse(Fixtures.publicKey("ed25519").verify(DATA, blob("ssh-rsa", ed25519)));
        assertFalse(Fixtures.publicKey("rsa2048").verify(DATA, blob("ssh-rsa", rsa)));
        assertFalse(Fixtures.publicKey("rsa2048").verify(DATA, blob("rsa-sha2-512", rsa)));
        assertTrue(Fixtures.publicKey("rsa2048").verify(DATA, blob("rsa-sha2-256", rsa)));
    }

    @Test
    void rsaAcceptsSha512AndNeverSha1() throws Exception {
        SshPublicKey key = Fixtures.publicKey("rsa2048");

        assertTrue(key.verify(DATA, blob("rsa-sha2-512", rsaSignature(new SHA512Digest()))));
        assertTrue(key.verify(DATA, blob("rsa-sha2-256", rsaSignature(new SHA256Digest()))));
        assertFalse(key.verify(DATA, blob("ssh-rsa", rsaSignature(new SHA1Digest()))));
    }

    @Test
    void ecdsaOutOfRangeNumbersFail() {
        SshPublicKey key = Fixtures.publicKey("ecdsa256");
        BigInteger order = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

        for (BigInteger[] rs : new BigInteger[][] {{BigInteger.ZERO, BigInteger.ONE}, {BigInteger.ONE, BigInteger.ZERO},
                {BigInteger.ONE.negate(), BigInteger.ONE}, {order, BigInteger.ONE}, {BigInteger.ONE, order}}) {
            byte[] inner = new SshBlobWriter().writeMpint(rs[0]).writeMpint(rs[1]).toByteArray();
            assertFalse(key.verify(DATA, blob("ecdsa-sha2-nistp256", inner)));
        }
    }

    private static byte[] blob(String algorithm, byte[] signature) {
        return new SshBlobWriter().writeText(algorithm).writeString(signature).toByteArray();
    }

    private static byte[] innerSignature(byte[] blob) {
        SshBlobReader reader = new SshBlobReader(blob);
        reader.readText();
        return reader.readString();
    }

    /** A PKCS#1 v1.5 signature by rsa2048 with any digest, made with BouncyCastle directly. */
    private static byte[] rsaSignature(Digest digest) throws IOException, CryptoException {
        String text = Files.readString(Fixtures.path("rsa2048")).replaceAll("-----[A-Z ]+-----", "");
        AsymmetricKeyParameter key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(Base64.getMimeDecoder().decode(text.strip()));
        RSADigestSigner signer = new RSADigestSigner(digest);
        signer.init(true, key);
        signer.update(DATA, 0, DATA.length);
        return signer.generateSignature();
    }
}
