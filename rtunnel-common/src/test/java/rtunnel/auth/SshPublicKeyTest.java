package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static String refusal(byte[] blob) {
        return assertThrows(IllegalArgumentException.class, () -> SshPublicKey.fromBlob(blob)).getMessage();
    }
}
