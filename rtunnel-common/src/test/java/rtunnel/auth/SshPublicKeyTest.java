package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshPublicKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072"})
    void fingerprintIsWhatSshKeygenPrints(String name) {
        assertEquals(Fixtures.FINGERPRINTS.get(name), Fixtures.publicKey(name).fingerprint());
    }

    @Test
    void typeIsTheWireName() {
        assertEquals("ssh-ed25519", Fixtures.publicKey("ed25519").type());
        assertEquals("ecdsa-sha2-nistp256", Fixtures.publicKey("ecdsa256").type());
        assertEquals("ecdsa-sha2-nistp384", Fixtures.publicKey("ecdsa384").type());
        assertEquals("ecdsa-sha2-nistp521", Fixtures.publicKey("ecdsa521").type());
        assertEquals("ssh-rsa", Fixtures.publicKey("rsa3072").type());
    }

    @Test
    void shortRsaKeyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshPublicKey.fromBlob(Fixtures.publicBlob("rsa1024")));

        assertEquals("RSA key of 1024 bits is too short (at least 2048)", e.getMessage());
    }

    @Test
    void rsaKeyAbove8192BitsIsRefusedBeforeAnyArithmetic() {
        byte[] blob = rsaBlob(BigInteger.valueOf(65537), BigInteger.ONE.shiftLeft(8192).add(BigInteger.ONE));

        assertEquals("RSA key of 8193 bits is too long (at most 8192)", refusal(blob));
        assertEquals("RSA key of 8193 bits is too long (at most 8192)",
                assertThrows(IllegalArgumentException.class, () -> SshPublicKey.fromPeer(blob)).getMessage());
    }

    @Test
    void rsaExponentOf2To32OrMoreIsRefused() {
        BigInteger modulus = rsaModulus("rsa2048");
        BigInteger thirtyThreeBits = BigInteger.ONE.shiftLeft(32).add(BigInteger.ONE);
        BigInteger hostile = BigInteger.ONE.shiftLeft(16_383).add(BigInteger.ONE);

        assertEquals("RSA public exponent of 33 bits is too long (at most 32)", refusal(rsaBlob(thirtyThreeBits, modulus)));
        assertEquals("RSA public exponent of 16384 bits is too long (at most 32)", refusal(rsaBlob(hostile, modulus)));
        assertEquals("ssh-rsa", SshPublicKey.fromBlob(rsaBlob(BigInteger.valueOf(0xffff_ffffL), modulus)).type(),
                "the longest exponent allowed, 2^32 - 1");
    }

    @Test
    void aPeersRsaKeyOf8192BitsWithA32BitExponentIsAccepted() {
        BigInteger modulus = BigInteger.ONE.shiftLeft(8191).add(BigInteger.ONE);

        assertEquals("ssh-rsa", SshPublicKey.fromPeer(rsaBlob(BigInteger.valueOf(0xffff_ffffL), modulus)).type());
    }

    @Test
    void aPeersRsaModulusIsNotTestedForWeakness() {
        // Three times a 2047-bit odd number: BouncyCastle's test finds the factor 3, fromPeer does not look.
        BigInteger weak = BigInteger.ONE.shiftLeft(2046).add(BigInteger.ONE).multiply(BigInteger.valueOf(3));
        byte[] blob = rsaBlob(BigInteger.valueOf(65537), weak);

        assertEquals("malformed ssh-rsa public key", refusal(blob));
        assertEquals(SshPublicKey.fingerprint(blob), SshPublicKey.fromPeer(blob).fingerprint());
    }

    @Test
    void aPeersKeyIsRefusedForEverythingButTheModulusTest() {
        byte[] ed25519 = Fixtures.publicBlob("ed25519");

        assertEquals("RSA key of 1024 bits is too short (at least 2048)", assertThrows(IllegalArgumentException.class,
                () -> SshPublicKey.fromPeer(Fixtures.publicBlob("rsa1024"))).getMessage());
        assertEquals("malformed ssh-ed25519 public key", assertThrows(IllegalArgumentException.class,
                () -> SshPublicKey.fromPeer(Arrays.copyOf(ed25519, ed25519.length + 1))).getMessage());
        assertEquals("malformed ssh-rsa public key", assertThrows(IllegalArgumentException.class,
                () -> SshPublicKey.fromPeer(new SshBlobWriter().writeText("ssh-rsa").toByteArray())).getMessage());
        byte[] padded = new SshBlobWriter().writeText("ssh-rsa").writeString(new byte[] {0, 1, 0, 1})
                .writeMpint(rsaModulus("rsa2048")).toByteArray();
        assertEquals("malformed ssh-rsa public key (not in canonical form)",
                assertThrows(IllegalArgumentException.class, () -> SshPublicKey.fromPeer(padded)).getMessage());
        assertEquals(Fixtures.publicKey("rsa3072"), SshPublicKey.fromPeer(Fixtures.publicBlob("rsa3072")));
    }

    @Test
    void dsaKeyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshPublicKey.fromBlob(Fixtures.publicBlob("dsa")));

        assertEquals("unsupported key type ssh-dss", e.getMessage());
    }

    @Test
    void unprintableKeyTypeIsNotQuotedVerbatim() {
        byte[] blob = new SshBlobWriter().writeString(new byte[] {'s', 's', 'h', '\n', 0}).toByteArray();

        assertEquals("unsupported key type (unprintable, 5 characters)",
                assertThrows(IllegalArgumentException.class, () -> SshPublicKey.fromBlob(blob)).getMessage());
    }

    @Test
    void malformedBlobsAreRefused() {
        byte[] good = Fixtures.publicBlob("ed25519");
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        byte[] ecdsa = Fixtures.publicBlob("ecdsa256");
        ecdsa[ecdsa.length - 1] ^= 1; // the point leaves the curve

        assertEquals("malformed ssh-ed25519 public key", refusal(truncated));
        assertEquals("malformed ssh-ed25519 public key", refusal(trailing));
        assertEquals("malformed ecdsa-sha2-nistp256 public key", refusal(ecdsa));
        assertEquals("malformed SSH public key: truncated: 4 bytes needed, 2 left", refusal(new byte[2]));
    }

    @Test
    void ecdsaTypeMustMatchItsCurve() {
        SshBlobReader reader = new SshBlobReader(Fixtures.publicBlob("ecdsa384"));
        reader.readText();
        byte[] curve = reader.readString();
        byte[] point = reader.readString();
        byte[] mislabelled = new SshBlobWriter().writeText("ecdsa-sha2-nistp256").writeString(curve)
                .writeString(point).toByteArray();

        assertThrows(IllegalArgumentException.class, () -> SshPublicKey.fromBlob(mislabelled));
    }

    @Test
    void equalKeysHaveEqualBlobs() {
        SshPublicKey key = Fixtures.publicKey("ed25519");

        assertEquals(key, SshPublicKey.fromBlob(Fixtures.publicBlob("ed25519")));
        assertEquals(key.hashCode(), Fixtures.publicKey("ed25519").hashCode());
        assertNotEquals(key, Fixtures.publicKey("ed25519-encrypted"));
        assertEquals("ssh-ed25519 " + Fixtures.FINGERPRINTS.get("ed25519"), key.toString());
    }

    @Test
    void blobIsACopy() {
        SshPublicKey key = Fixtures.publicKey("ed25519");
        key.blob()[0] ^= 1;

        assertArrayEquals(Fixtures.publicBlob("ed25519"), key.blob());
    }

    private static byte[] rsaBlob(BigInteger exponent, BigInteger modulus) {
        return ScriptedClient.rsaBlob(exponent, modulus);
    }

    private static BigInteger rsaModulus(String fixture) {
        return SshBlobs.rsaModulus(Fixtures.publicBlob(fixture));
    }

    private static String refusal(byte[] blob) {
        return assertThrows(IllegalArgumentException.class, () -> SshPublicKey.fromBlob(blob)).getMessage();
    }
}
