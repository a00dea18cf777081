package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import rtunnel.policy.HostPattern;
import rtunnel.policy.ListenPermit;
import rtunnel.policy.PortRange;

class AuthorizedKeyLineTest {

    private static final String ED25519 = keyFields("ed25519");

    @Test
    void blankAndCommentLinesHoldNoKey() {
        assertEquals(Optional.empty(), AuthorizedKeyLine.parse("", "f:1"));
        assertEquals(Optional.empty(), AuthorizedKeyLine.parse("   \t", "f:1"));
        assertEquals(Optional.empty(), AuthorizedKeyLine.parse("  # ssh-ed25519 AAAA", "f:1"));
    }

    @Test
    void plainLineKeepsItsWholeComment() {
        AuthorizedKey line = parse(ED25519 + "  alice@laptop  (work) ");

        assertEquals(Fixtures.publicKey("ed25519"), line.key());
        assertEquals("alice@laptop  (work)", line.comment());
        assertEquals(List.of(), line.permitListen());
        assertFalse(line.revoked());
        assertEquals("f:7", line.source());
        assertTrue(line.mayListenOn("", 1));
    }

    @Test
    void permitListenTakesPortsRangesHostPortsAndStar() {
        assertEquals(List.of(any(4000, 4000)), parse("permitlisten=\"4000\" " + ED25519).permitListen());
        assertEquals(List.of(any(4000, 4010)), parse("permitlisten=\"4000-4010\" " + ED25519).permitListen());
        assertEquals(List.of(any(4000, 4000)), parse("permitlisten=\"*:4000\" " + ED25519).permitListen());
        assertEquals(List.of(on("localhost", new PortRange(5000, 5000))),
                parse("permitlisten=\"localhost:5000\" " + ED25519).permitListen());
        assertEquals(List.of(on("::1", new PortRange(5000, 5000))),
                parse("permitlisten=\"[::1]:5000\" " + ED25519).permitListen());
        assertEquals(List.of(on("*.example.org", new PortRange(5000, 5000))),
                parse("permitlisten=\"*.example.org:5000\" " + ED25519).permitListen());
        assertEquals(List.of(ListenPermit.anyHost(PortRange.ALL)), parse("permitlisten=\"*\" " + ED25519).permitListen());
        assertEquals(List.of(on("localhost", PortRange.ALL)),
                parse("PermitListen=\"localhost:*\" " + ED25519).permitListen());
        assertEquals(List.of(any(22, 22), any(80, 90)),
                parse("permitlisten=\"22\",permitlisten=\"80-90\" " + ED25519).permitListen());
    }

    @Test
    void permitHostnameNarrowsTheNamesAKeyMayOwn() {
        AuthorizedKey line = parse("permithostname=\"*.alice.myserver.com\",PermitHostname=\"alice.myserver.com\" "
                + ED25519);

        assertEquals(List.of(new HostPattern("*.alice.myserver.com"), new HostPattern("alice.myserver.com")),
                line.permitHostname());
        assertTrue(line.namePolicy().allows("blog.alice.myserver.com"));
        assertTrue(line.namePolicy().allows("alice.myserver.com"));
        assertFalse(line.namePolicy().allows("bob.myserver.com"));
    }

    @Test
    void aLineWithoutEitherOptionMayOwnAnyNameButOneNarrowedToPortsNone() {
        assertTrue(parse(ED25519).namePolicy().allows("app.myserver.com"));
        assertFalse(parse("permitlisten=\"4000\" " + ED25519).namePolicy().allows("app.myserver.com"));
    }

    @Test
    void aBadPermitHostnameRefusesTheLine() {
        assertEquals("permithostname \"a,b\": host pattern \"a,b\" may hold only one pattern, without '!', ',' or "
                + "spaces", refusal("permithostname=\"a,b\" " + ED25519));
        assertEquals("option permithostname needs a value", refusal("permithostname=\"\" " + ED25519));
        assertEquals("unknown option permithostnam (did you mean permithostname?)",
                refusal("permithostnam " + ED25519));
    }

    @Test
    void permitListenNarrowsThePorts() {
        AuthorizedKey line = parse("permitlisten=\"4000\",permitlisten=\"4005-4010\" " + ED25519);

        assertTrue(line.mayListenOn("", 4000));
        assertFalse(line.mayListenOn("", 4001));
        assertTrue(line.mayListenOn("203.0.113.9", 4010));
        assertFalse(line.mayListenOn("", 4011));
    }

    @Test
    void permitListenWithAHostNarrowsTheAddressToo() {
        AuthorizedKey line = parse("permitlisten=\"127.0.0.1:4000\",permitlisten=\"*:5000\" " + ED25519);

        assertTrue(line.mayListenOn("127.0.0.1", 4000));
        assertTrue(line.mayListenOn("localhost", 4000));
        assertFalse(line.mayListenOn("", 4000), "all interfaces");
        assertFalse(line.mayListenOn("192.0.2.1", 4000));
        assertTrue(line.mayListenOn("", 5000));
        assertFalse(line.mayListenOn("127.0.0.1", 4001));
    }

    @Test
    void badPermitListenIsRefused() {
        assertEquals("permitlisten \"abc\" is not a port, a port range or *", refusal("permitlisten=\"abc\" " + ED25519));
        assertEquals("permitlisten: port range 0-0 must lie within 1-65535", refusal("permitlisten=\"0\" " + ED25519));
        assertEquals("permitlisten: lowest port 10 is above highest port 5", refusal("permitlisten=\"10-5\" " + ED25519));
        assertEquals("option permitlisten needs a value", refusal("permitlisten ssh-ed25519 " + ED25519.split(" ")[1]));
        assertEquals("option permitlisten has a badly quoted value", refusal("permitlisten=40\"00\" " + ED25519));
    }

    @Test
    void badPermitListenHostsAreRefused() {
        assertEquals("permitlisten \"[::1:4000\": write an IPv6 host as [ADDRESS]:PORT",
                refusal("permitlisten=\"[::1:4000\" " + ED25519));
        assertEquals("permitlisten \"::1:4000\": write an IPv6 host as [ADDRESS]:PORT",
                refusal("permitlisten=\"::1:4000\" " + ED25519));
        assertEquals("permitlisten \"[::1]4000\": write an IPv6 host as [ADDRESS]:PORT",
                refusal("permitlisten=\"[::1]4000\" " + ED25519));
        assertEquals("permitlisten \":4000\": empty host (leave the host out, or write *, for any address)",
                refusal("permitlisten=\":4000\" " + ED25519));
        assertEquals("permitlisten \"[]:4000\": empty host (leave the host out, or write *, for any address)",
                refusal("permitlisten=\"[]:4000\" " + ED25519));
        assertEquals("permitlisten \"!evil.org:4000\": host pattern \"!evil.org\" may hold only one pattern,"
                + " without '!', ',' or spaces", refusal("permitlisten=\"!evil.org:4000\" " + ED25519));
        assertEquals("permitlisten \"a,b:4000\": host pattern \"a,b\" may hold only one pattern,"
                + " without '!', ',' or spaces", refusal("permitlisten=\"a,b:4000\" " + ED25519));
        assertEquals("permitlisten value of 11 characters holds spaces or unprintable characters",
                refusal("permitlisten=\"a host:4000\" " + ED25519));
        assertEquals("permitlisten \"localhost:\" is not a port, a port range or *",
                refusal("permitlisten=\"localhost:\" " + ED25519));
    }

    @Test
    void quotedOptionValuesMayHoldCommasSpacesAndQuotes() {
        AuthorizedKey line = parse("command=\"echo \\\"a, b\\\" c\",no-pty,permitlisten=\"4000\",environment=\"X=1,2\" "
                + ED25519 + " comment");

        assertEquals(List.of(any(4000, 4000)), line.permitListen());
        assertEquals("comment", line.comment());
    }

    @Test
    void optionsRtunnelCannotEnforceRefuseTheLine() {
        assertEquals("option from is not supported (rtunnel cannot enforce it)", refusal("from=\"10.0.0.0/8\" " + ED25519));
        assertEquals("option expiry-time is not supported (rtunnel cannot enforce it)",
                refusal("expiry-time=\"20300101\" " + ED25519));
        assertEquals("certificates are not supported", refusal("cert-authority " + ED25519));
        assertEquals("unknown option permitlisen", refusal("permitlisen=\"4000\" " + ED25519));
        assertEquals("empty option (a stray comma)", refusal("no-pty,,no-user-rc " + ED25519));
        assertEquals("unterminated quote in options", refusal("command=\"oops " + ED25519));
    }

    @Test
    void aMisspeltRestrictionRefusesTheLineInsteadOfGrantingMore() {
        assertEquals("unknown option restrictt (did you mean restrict?)", refusal("restrictt " + ED25519));
        assertEquals("unknown option no-port-fowarding (did you mean no-port-forwarding?)",
                refusal("no-port-fowarding " + ED25519));
        assertEquals(List.of(), parse("gateway.example.org " + ED25519).permitListen(), "a known_hosts host");
    }

    @Test
    void portForwardingSwitchedOffRefusesTheLine() {
        String reason = "port forwarding is disabled for this key (restrict or no-port-forwarding)";

        assertEquals(reason, refusal("restrict,permitlisten=\"4000\" " + ED25519));
        assertEquals(reason, refusal("no-port-forwarding " + ED25519));
        assertEquals(List.of(any(4000, 4000)),
                parse("restrict,port-forwarding,permitlisten=\"4000\" " + ED25519).permitListen());
    }

    @Test
    void knownHostsLinesAreRead() {
        assertEquals(Fixtures.publicKey("ed25519"), parse("tunnel.example.org,192.0.2.7 " + ED25519).key());
        assertEquals(Fixtures.publicKey("ed25519"), parse("ssh-gateway.example.org " + ED25519).key());
        assertEquals(Fixtures.publicKey("ed25519"), parse("[tunnel.example.org]:2222,!bad.org " + ED25519).key());
        assertEquals(Fixtures.publicKey("ed25519"),
                parse("|1|FdGnhdqvXCdHZmi44FXc2dtvwOw=|HZ+djIRJ9Gff6Jn+nIn6w6/wOAY= " + ED25519).key());
        assertEquals("malformed hashed host field", refusal("|1|c2FsdA==|aGFzaA== " + ED25519));
        assertEquals("malformed hashed host field", refusal("|2|FdGnhdqvXCdHZmi44FXc2dtvwOw=|HZ+djIRJ9Gff6Jn+nIn6w6/wOAY= "
                + ED25519));
    }

    @Test
    void markersRevokeOrAreRefused() {
        assertTrue(parse("@revoked * " + ED25519).revoked());
        assertTrue(parse("@revoked " + ED25519).revoked());
        assertFalse(parse("@revoked * " + ED25519).mayListenOn("", 4000));
        assertEquals("certificates are not supported", refusal("@cert-authority *.example.org " + ED25519));
        assertEquals("unknown marker @trusted", refusal("@trusted * " + ED25519));
    }

    @Test
    void badKeyFieldsAreRefusedWithTheReason() {
        String base64 = ED25519.split(" ")[1];

        assertEquals("key is not valid Base64", refusal("ssh-ed25519 AAAA!!!not-base64 comment"));
        assertEquals("key type ssh-rsa does not match the key, which is ssh-ed25519", refusal("ssh-rsa " + base64));
        assertEquals("no key after ssh-ed25519", refusal("ssh-ed25519"));
        assertEquals("expected a key type, found hello", refusal("hello world"));
        assertEquals("certificates are not supported", refusal("ssh-ed25519-cert-v01@openssh.com " + base64));
        assertEquals("unsupported key type ssh-dss", refusal(keyFields("dsa")));
        assertEquals("RSA key of 1024 bits is too short (at least 2048)", refusal(keyFields("rsa1024")));
        assertEquals("malformed ssh-ed25519 key", refusal("ssh-ed25519 AAAA"));
    }

    private static ListenPermit any(int lowest, int highest) {
        return ListenPermit.anyHost(new PortRange(lowest, highest));
    }

    private static ListenPermit on(String host, PortRange ports) {
        return new ListenPermit(new HostPattern(host), ports);
    }

    private static AuthorizedKey parse(String line) {
        return AuthorizedKeyLine.parse(line, "f:7").orElseThrow();
    }

    private static String refusal(String line) {
        return assertThrows(IllegalArgumentException.class, () -> AuthorizedKeyLine.parse(line, "f:7")).getMessage();
    }

    /** "type base64" of a fixture's .pub file, without its comment. */
    private static String keyFields(String name) {
        try {
            String[] fields = Files.readString(Fixtures.path(name + ".pub")).split(" ");
            return fields[0] + " " + fields[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
