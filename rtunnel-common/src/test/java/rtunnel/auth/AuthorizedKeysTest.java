package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.policy.HostPattern;
import rtunnel.policy.ListenPermit;
import rtunnel.policy.PortRange;

class AuthorizedKeysTest {

    @Test
    void readsOptionsCommentsAndPermitListenFromAuthorizedKeys() throws IOException {
        Path file = Fixtures.path("authorized_keys");
        AuthorizedKeys keys = AuthorizedKeys.load(file);

        assertEquals(6, keys.size());
        AuthorizedKey ed25519 = keys.lookup(Fixtures.publicKey("ed25519")).orElseThrow();
        assertEquals("fixture-ed25519", ed25519.comment());
        assertEquals(List.of(ListenPermit.anyHost(new PortRange(4000, 4000)), ListenPermit.anyHost(new PortRange(4005, 4010))),
                ed25519.permitListen());
        assertEquals(file + ":3", ed25519.source());
        assertEquals(List.of(), keys.lookup(Fixtures.publicKey("ecdsa256")).orElseThrow().permitListen());
        assertEquals(List.of(new ListenPermit(new HostPattern("localhost"), new PortRange(5000, 5000))),
                keys.lookup(Fixtures.publicKey("rsa2048")).orElseThrow().permitListen());
        assertEquals(List.of(ListenPermit.anyHost(PortRange.ALL)), keys.lookup(Fixtures.publicKey("ecdsa384")).orElseThrow().permitListen());
        assertEquals("fixture-rsa-pem", keys.lookup(Fixtures.publicKey("rsa-pem")).orElseThrow().comment());
        assertEquals(file + ":13", keys.lookup(Fixtures.publicKey("ecdsa521")).orElseThrow().source());
    }

    @Test
    void malformedLineIsReportedWithFileAndLine() throws IOException {
        Path file = Fixtures.path("authorized_keys");

        assertEquals(List.of(file + ":12: key is not valid Base64"), AuthorizedKeys.load(file).warnings());
    }

    @Test
    void unknownKeyIsNotFound() throws IOException {
        AuthorizedKeys keys = AuthorizedKeys.load(Fixtures.path("authorized_keys"));

        assertEquals(Optional.empty(), keys.lookup(Fixtures.publicKey("rsa3072")));
        assertFalse(keys.isRevoked(Fixtures.publicKey("rsa3072")));
    }

    @Test
    void hashedKnownHostsLineIsAccepted() throws IOException {
        Path file = Fixtures.path("known_hosts");
        AuthorizedKeys keys = AuthorizedKeys.load(file);

        assertEquals(2, keys.size());
        assertEquals(file + ":3", keys.lookup(Fixtures.publicKey("ed25519")).orElseThrow().source());
        AuthorizedKey plain = keys.lookup(Fixtures.publicKey("ecdsa521")).orElseThrow();
        assertEquals("", plain.comment());
        assertEquals(List.of(), plain.permitListen());
    }

    @Test
    void revokedKeyIsRefused() throws IOException {
        AuthorizedKeys keys = AuthorizedKeys.load(Fixtures.path("known_hosts"));

        assertTrue(keys.isRevoked(Fixtures.publicKey("rsa3072")));
        assertEquals(Optional.empty(), keys.lookup(Fixtures.publicKey("rsa3072")));
    }

    @Test
    void revokedKeyIsRefusedWhicheverLineComesFirst(@TempDir Path dir) throws IOException {
        String revoked = "@revoked * " + Files.readString(Fixtures.path("rsa3072.pub"));
        String listed = Files.readString(Fixtures.path("rsa3072.pub"));
        String other = Files.readString(Fixtures.path("ed25519.pub"));

        for (String text : List.of(revoked + listed + other, listed + revoked + other)) {
            AuthorizedKeys keys = AuthorizedKeys.load(Files.writeString(dir.resolve("keys"), text));
            assertEquals(Optional.empty(), keys.lookup(Fixtures.publicKey("rsa3072")));
            assertEquals(1, keys.size());
            assertEquals(List.of(), keys.warnings());
        }
    }

    @Test
    void certificateAuthorityIsSkippedWithAWarning() throws IOException {
        Path file = Fixtures.path("known_hosts");

        assertEquals(List.of(file + ":6: certificates are not supported"), AuthorizedKeys.load(file).warnings());
    }

    @Test
    void firstListingOfAKeyCounts(@TempDir Path dir) throws IOException {
        String key = Files.readString(Fixtures.path("ed25519.pub"));
        Path file = Files.writeString(dir.resolve("keys"), "permitlisten=\"4000\" " + key + "permitlisten=\"5000\" " + key);
        AuthorizedKeys keys = AuthorizedKeys.load(file);

        assertEquals(List.of(ListenPermit.anyHost(new PortRange(4000, 4000))),
                keys.lookup(Fixtures.publicKey("ed25519")).orElseThrow().permitListen());
        assertEquals(List.of(file + ":2: key " + Fixtures.FINGERPRINTS.get("ed25519") + " is already listed at "
                + file + ":1, which is the line that counts"), keys.warnings());
    }

    @Test
    void fileWithoutUsableKeyIsRefused(@TempDir Path dir) throws IOException {
        String revokedOnly = "@revoked * " + Files.readString(Fixtures.path("ed25519.pub"));

        for (String text : List.of("", "# nothing here\n\n", revokedOnly, "ssh-ed25519 AAAA!!!\n")) {
            Path file = Files.writeString(dir.resolve("keys"), text);
            KeyFileException e = assertThrows(KeyFileException.class, () -> AuthorizedKeys.load(file));
            assertEquals(file + ": no usable key", e.getMessage());
        }
    }

    @Test
    void unreadableFileIsOneLine(@TempDir Path dir) {
        Path file = dir.resolve("absent");
        KeyFileException e = assertThrows(KeyFileException.class, () -> AuthorizedKeys.load(file));

        assertEquals(file + ": cannot read: no such file", e.getMessage());
    }

    @Test
    void windowsLineEndingsAndBadUtf8InCommentsAreTolerated(@TempDir Path dir) throws IOException {
        byte[] line = (Files.readString(Fixtures.path("ed25519.pub")).strip() + " caf\u00e9").getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] text = new byte[line.length + 2];
        System.arraycopy(line, 0, text, 0, line.length);
        text[line.length] = '\r';
        text[line.length + 1] = '\n';
        AuthorizedKeys keys = AuthorizedKeys.load(Files.write(dir.resolve("keys"), text));

        assertEquals("fixture-ed25519 caf\ufffd", keys.lookup(Fixtures.publicKey("ed25519")).orElseThrow().comment());
    }
}
