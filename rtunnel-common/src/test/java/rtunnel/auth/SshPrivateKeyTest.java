package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshPrivateKeyTest {

    private static final byte[] DATA = "session transcript".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072", "rsa-pem",
            "ecdsa-pem", "rsa-pkcs8", "ecdsa-pkcs8", "ed25519-encrypted", "rsa-encrypted", "ed25519-chacha",
            "rsa-pem-encrypted", "ecdsa-pkcs8-encrypted"})
    void readsEveryKeyTypeSshKeygenWrites(String name) throws IOException {
        SshPrivateKey key = Fixtures.privateKey(name);

        assertEquals(Fixtures.FINGERPRINTS.get(name), key.publicKey().fingerprint());
        assertEquals(Fixtures.publicKey(name), key.publicKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072", "ecdsa-pem"})
    void signatureVerifiesUnderItsOwnPublicKey(String name) throws IOException {
        SshPrivateKey key = Fixtures.privateKey(name);

        assertTrue(key.publicKey().verify(DATA, key.sign(DATA)));
        assertTrue(Fixtures.publicKey(name).verify(DATA, key.sign(DATA)));
    }

    @Test
    void signatureNamesTheAlgorithmOpenSshExpects() throws IOException {
        assertEquals("ssh-ed25519", algorithmOf(Fixtures.privateKey("ed25519").sign(DATA)));
        assertEquals("ecdsa-sha2-nistp256", algorithmOf(Fixtures.privateKey("ecdsa256").sign(DATA)));
        assertEquals("ecdsa-sha2-nistp384", algorithmOf(Fixtures.privateKey("ecdsa384").sign(DATA)));
        assertEquals("ecdsa-sha2-nistp521", algorithmOf(Fixtures.privateKey("ecdsa521").sign(DATA)));
        assertEquals("rsa-sha2-256", algorithmOf(Fixtures.privateKey("rsa2048").sign(DATA)));
    }

    @Test
    void rsaSignatureIsAsLongAsTheModulus() throws IOException {
        SshBlobReader reader = new SshBlobReader(Fixtures.privateKey("rsa3072").sign(DATA));
        reader.readText();

        assertEquals(3072 / 8, reader.readString().length);
    }

    @Test
    void signatureByOneKeyDoesNotVerifyUnderAnother() throws IOException {
        byte[] signature = Fixtures.privateKey("ed25519").sign(DATA);

        assertFalse(Fixtures.publicKey("ed25519-encrypted").verify(DATA, signature));
        assertFalse(Fixtures.publicKey("ecdsa256").verify(DATA, Fixtures.privateKey("ecdsa-pem").sign(DATA)));
        assertFalse(Fixtures.publicKey("rsa2048").verify(DATA, Fixtures.privateKey("rsa3072").sign(DATA)));
    }

    @Test
    void wrongPassphraseIsOneLine() {
        for (String name : List.of("ed25519-encrypted", "rsa-encrypted", "ed25519-chacha", "rsa-pem-encrypted",
                "ecdsa-pkcs8-encrypted")) {
            Path file = Fixtures.path(name);
            KeyFileException e = assertThrows(KeyFileException.class,
                    () -> SshPrivateKey.load(file, PassphraseSource.of("wrong horse")));

            assertEquals(file + ": wrong passphrase", e.getMessage());
            assertEquals(file, e.file());
        }
    }

    @Test
    void encryptedKeyWithoutPassphraseSaysSo() {
        for (PassphraseSource none : List.of(PassphraseSource.NONE, PassphraseSource.of(""))) {
            Path file = Fixtures.path("ed25519-encrypted");
            KeyFileException e = assertThrows(KeyFileException.class, () -> SshPrivateKey.load(file, none));

            assertEquals(file + ": is encrypted and no passphrase was given", e.getMessage());
        }
    }

    @Test
    void passphraseIsAskedOnlyForEncryptedFilesAndThenWiped() throws IOException {
        List<char[]> handedOut = new ArrayList<>();
        PassphraseSource counting = file -> {
            char[] passphrase = Fixtures.PASSPHRASE.toCharArray();
            handedOut.add(passphrase);
            return passphrase;
        };

        SshPrivateKey.load(Fixtures.path("ed25519"), counting);
        SshPrivateKey.load(Fixtures.path("rsa-pem"), counting);
        assertEquals(0, handedOut.size());

        SshPrivateKey.load(Fixtures.path("ed25519-encrypted"), counting);
        SshPrivateKey.load(Fixtures.path("rsa-pem-encrypted"), counting);
        assertEquals(2, handedOut.size());
        for (char[] passphrase : handedOut) {
            assertArrayEquals(new char[Fixtures.PASSPHRASE.length()], passphrase);
        }
    }

    @Test
    void shortRsaKeyIsRefused() {
        Path file = Fixtures.path("rsa1024");
        KeyFileException e = assertThrows(KeyFileException.class, () -> SshPrivateKey.load(file, PassphraseSource.NONE));

        assertEquals(file + ": RSA key of 1024 bits is too short (at least 2048)", e.getMessage());
    }

    @Test
    void dsaKeyIsRefused() {
        Path file = Fixtures.path("dsa");
        KeyFileException e = assertThrows(KeyFileException.class, () -> SshPrivateKey.load(file, PassphraseSource.NONE));

        assertEquals(file + ": unsupported key type ssh-dss", e.getMessage());
    }

    @Test
    void publicKeyFileIsNotAPrivateKeyFile() {
        Path file = Fixtures.path("ed25519.pub");
        KeyFileException e = assertThrows(KeyFileException.class, () -> SshPrivateKey.load(file, PassphraseSource.NONE));

        assertEquals(file + ": not a private key file (it holds a public key)", e.getMessage());
    }

    @Test
    void otherFilesAreNotPrivateKeyFiles(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes"), "hello\n");
        Path certificate = Files.writeString(dir.resolve("cert.pem"),
                "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
        Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, 0, (byte) 0xfe});

        assertEquals(text + ": not a private key file", loadFailure(text));
        assertEquals(binary + ": not a private key file", loadFailure(binary));
        assertTrue(loadFailure(certificate).startsWith(certificate + ": "), loadFailure(certificate));
    }

    @Test
    void damagedOpenSshKeyIsOneLine(@TempDir Path dir) throws IOException {
        String text = Files.readString(Fixtures.path("ed25519"));
        String[] lines = text.split("\n");
        String end = lines[lines.length - 1];
        Path shortHeader = Files.writeString(dir.resolve("short-header"), lines[0] + "\n" + lines[1] + "\n" + end);
        Path truncated = Files.writeString(dir.resolve("truncated"),
                String.join("\n", lines[0], lines[1], lines[2], lines[3], end));
        Path noEnd = Files.writeString(dir.resolve("no-end"), lines[0] + "\n" + lines[1] + "\n");

        assertEquals(shortHeader + ": malformed OpenSSH private key (truncated header)", loadFailure(shortHeader));
        assertEquals(truncated + ": malformed OpenSSH private key", loadFailure(truncated));
        assertEquals(noEnd + ": not a private key file (no -----END OPENSSH PRIVATE KEY----- line)", loadFailure(noEnd));
    }

    @Test
    void missingFileCannotBeRead(@TempDir Path dir) {
        Path file = dir.resolve("absent");

        assertEquals(file + ": cannot read: no such file", loadFailure(file));
    }

    @Test
    void toStringShowsOnlyThePublicKey() throws IOException {
        assertEquals("SshPrivateKey[ssh-ed25519 " + Fixtures.FINGERPRINTS.get("ed25519") + "]",
                Fixtures.privateKey("ed25519").toString());
    }

    private static String loadFailure(Path file) {
        return assertThrows(KeyFileException.class, () -> SshPrivateKey.load(file, PassphraseSource.NONE)).getMessage();
    }

    private static String algorithmOf(byte[] signatureBlob) {
        return new SshBlobReader(signatureBlob).readText();
    }
}
