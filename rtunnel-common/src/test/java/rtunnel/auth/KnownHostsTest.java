package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rtunnel.auth.KnownHosts.Kind;

/** known_hosts lines as OpenSSH writes and reads them, without files or sockets. */
class KnownHostsTest {

    private static final SshPublicKey ED25519 = Fixtures.publicKey("ed25519");
    private static final SshPublicKey RSA = Fixtures.publicKey("rsa2048");

    @ParameterizedTest
    @CsvSource({
        "myserver.com,  19050, myserver.com",
        "MyServer.COM,  19050, myserver.com",
        "myserver.com,  7000,  [myserver.com]:7000",
        "127.0.0.1,     41234, [127.0.0.1]:41234",
        "2001:db8::1,   19050, 2001:db8::1",
        "2001:db8::1,   7000,  [2001:db8::1]:7000",
    })
    void aServerIsNamedAsOpenSshNamesOneOnAnotherPortThanTheDefault(String host, int port, String name) {
        assertEquals(name, KnownHosts.name(host, port));
    }

    @Test
    void theLineRecordedIsTheNameTheKeyTypeAndTheKeyAsSshAppendsIt() {
        assertEquals("[127.0.0.1]:41234 ssh-ed25519 " + Base64.getEncoder().encodeToString(ED25519.blob()),
                KnownHosts.line("[127.0.0.1]:41234", ED25519));
    }

    @Test
    void aRecordedLineReadsBackAsKnownForItsNameOnly() {
        KnownHosts known = KnownHosts.parse(KnownHosts.line("[127.0.0.1]:41234", ED25519) + "\n");

        assertEquals(Kind.KNOWN, known.check("[127.0.0.1]:41234", ED25519).kind());
        assertEquals(Kind.NEW, known.check("[127.0.0.1]:41235", ED25519).kind());
        assertEquals(Kind.NEW, known.check("127.0.0.1", ED25519).kind());
    }

    @Test
    void anotherKeyForAKnownNameIsAChangeNamingTheFirstLineForIt() {
        String text = "# servers\n\nother.example.com " + publicLine(ED25519) + "\nmyserver.com " + publicLine(RSA)
                + "\nmyserver.com " + publicLine(Fixtures.publicKey("ecdsa256")) + "\n";

        KnownHosts.Verdict verdict = KnownHosts.parse(text).check("myserver.com", ED25519);

        assertEquals(Kind.CHANGED, verdict.kind());
        assertEquals(4, verdict.entry().line());
        assertEquals(RSA, verdict.entry().key());
    }

    @Test
    void anyLineForTheNameWithTheKeyMakesItKnownAsSshScansEveryLine() {
        String text = "myserver.com " + publicLine(RSA) + "\nmyserver.com " + publicLine(ED25519) + "\n";

        KnownHosts.Verdict verdict = KnownHosts.parse(text).check("myserver.com", ED25519);

        assertEquals(Kind.KNOWN, verdict.kind());
        assertEquals(2, verdict.entry().line());
    }

    @Test
    void theFixtureSshKeygenMadeIsRead() throws IOException {
        KnownHosts known = KnownHosts.parse(Files.readString(Fixtures.path("known_hosts")));
        SshPublicKey rsa3072 = Fixtures.publicKey("rsa3072");

        assertEquals(Kind.KNOWN, known.check("tunnel.example.org", Fixtures.publicKey("ecdsa521")).kind());
        assertEquals(Kind.KNOWN, known.check("192.0.2.7", Fixtures.publicKey("ecdsa521")).kind());
        // The line ssh-keygen -H hashed is found by its name, and by no other.
        assertEquals(Kind.KNOWN, known.check("hashed.example.org", ED25519).kind());
        assertEquals(Kind.NEW, known.check("other.example.org", ED25519).kind());
        // An @revoked key is refused for every name; @cert-authority lines hold no host key.
        KnownHosts.Verdict revoked = known.check("[tunnel.example.org]:2222", rsa3072);
        assertEquals(Kind.REVOKED, revoked.kind());
        assertEquals(5, revoked.entry().line());
        assertEquals(List.of("line 6: marker @cert-authority is not used here"), known.skipped());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*.example.org                  | tunnel.example.org      | true",
        "*.example.org                  | example.org             | false",
        "tunnel?.example.org            | tunnel1.example.org     | true",
        "tunnel?.example.org            | tunnel12.example.org    | false",
        "TUNNEL.Example.org             | tunnel.example.org      | true",
        "!bad.example.org,*.example.org | bad.example.org         | false",
        "!bad.example.org,*.example.org | good.example.org        | true",
        "!bad.example.org               | good.example.org        | false",
        "[tunnel.example.org]:2222      | [tunnel.example.org]:2222 | true",
        "[tunnel.example.org]:2222      | tunnel.example.org      | false",
        "[*.example.org]:*              | [a.example.org]:7000    | true",
        "a.org,b.org                    | b.org                   | true",
    })
    void hostFieldsMatchAsInOpenSsh(String hosts, String name, boolean matches) {
        assertEquals(matches, KnownHosts.matches(hosts, name));
    }

    @Test
    void linesItCannotUseAreSkippedWithTheirReasonAndTheRestStillCount() throws IOException {
        String text = "myserver.com ssh-ed25519\n"
                + "myserver.com " + String.join(" ", List.of(Files.readString(Fixtures.path("dsa.pub")).split(" "))
                        .subList(0, 2)) + "\n"
                + "myserver.com ssh-ed25519 not-base64!\n"
                + "@unknown myserver.com " + publicLine(RSA) + "\n"
                + "  myserver.com   " + publicLine(ED25519) + "   a comment\r\n";

        KnownHosts known = KnownHosts.parse(text);

        assertEquals(Kind.KNOWN, known.check("myserver.com", ED25519).kind());
        assertEquals(4, known.skipped().size(), known.skipped().toString());
        assertTrue(known.skipped().get(0).startsWith("line 1: "), known.skipped().get(0));
    }

    @Test
    void anEmptyFileKnowsNobody() {
        KnownHosts.Verdict verdict = KnownHosts.parse("").check("myserver.com", ED25519);

        assertEquals(Kind.NEW, verdict.kind());
        assertNull(verdict.entry());
    }

    @Test
    void aHashedFieldThatIsNotBase64MatchesNothing() {
        assertFalse(KnownHosts.matches("|1|not base64|x", "myserver.com"));
        assertFalse(KnownHosts.matches("|1|AAAA", "myserver.com"));
    }

    private static String publicLine(SshPublicKey key) {
        return key.type() + " " + Base64.getEncoder().encodeToString(key.blob());
    }
}
