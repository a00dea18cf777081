package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.cli.ExitCodes;
import rtunnel.protocol.HostPort;

/** The command line alone: nothing here opens a socket. */
// A usage error that is not found lets the client run and reconnect for ever: the timeout ends such a test.
@Timeout(60)
class ClientCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theVpsExampleReadsAsTheOriginalDid() {
        ClientSettings settings = settings("-c", "myserver.com", "-f", "4000", "-t", "3000");

        assertEquals(List.of(new HostPort("myserver.com", 19050)), settings.servers());
        assertEquals(List.of(new TunnelSpec(new HostPort("", 4000), new HostPort("localhost", 3000))),
                settings.tunnels());
        assertEquals(Duration.ofSeconds(10), settings.timeout());
    }

    @Test
    void readsTheLongFlags() {
        ClientSettings settings = settings("--control-address", "myserver.com:2000", "--remote-listen-port",
                "127.0.0.1:4000", "--tunnel-to", "10.0.0.5:80", "--timeout", "3", "--log-level", "debug");

        assertEquals(List.of(new HostPort("myserver.com", 2000)), settings.servers());
        assertEquals(List.of(new TunnelSpec(new HostPort("127.0.0.1", 4000), new HostPort("10.0.0.5", 80))),
                settings.tunnels());
        assertEquals(Duration.ofSeconds(3), settings.timeout());
    }

    @Test
    void pairsTheNthRemoteWithTheNthTarget() {
        ClientSettings settings = settings("-c", "s", "-f", "4000", "-f", "4001", "-t", "3000", "-t", "3001");

        assertEquals(List.of(TunnelSpec.parse("4000", "3000"), TunnelSpec.parse("4001", "3001")), settings.tunnels());
    }

    @Test
    void anIpv6ControlAddressIsBracketed() {
        assertEquals(List.of(new HostPort("::1", 19050)), settings("-c", "[::1]:19050", "-f", "1", "-t", "2").servers());
    }

    @Test
    void severalControlAddressesAreTheServersToFailOverBetweenInTheirOrder() {
        ClientSettings settings = settings("-c", "a.example.com", "-f", "4000", "-t", "3000",
                "-c", "b.example.com:7000", "--control-address=[::1]");

        assertEquals(List.of(new HostPort("a.example.com", 19050), new HostPort("b.example.com", 7000),
                new HostPort("::1", 19050)), settings.servers());
        assertEquals(settings.servers(), settings("-c", "a.example.com,b.example.com:7000,[::1]", "-f", "4000",
                "-t", "3000").servers());
    }

    @Test
    void theSameServerTwiceIsAUsageError() {
        assertUsageError("rtunnel_client: Invalid value for option '--control-address': a.example.com:19050 is "
                + "given twice", "-c", "a.example.com", "-c", "a.example.com:19050", "-f", "4000", "-t", "3000");
    }

    @Test
    void severalServerFingerprintsAreAllAccepted() {
        ClientSettings settings = settings("-c", "s", "-f", "4000", "-t", "3000", "--server-fingerprint",
                "SHA256:one,SHA256:two", "--server-fingerprint", "SHA256:three");

        assertEquals(List.of("SHA256:one", "SHA256:two", "SHA256:three"), settings.serverFingerprints());
        assertUsageError("rtunnel_client: Invalid value for option '--server-fingerprint': 'MD5:four' is not of "
                + "the form SHA256:...", "-c", "s", "-f", "4000", "-t", "3000", "--server-fingerprint",
                "SHA256:one,MD5:four");
    }

    @Test
    void theControlAddressIsRequired() {
        assertUsageError("rtunnel_client: Missing required option: '--control-address=HOST[:PORT]'",
                "-f", "4000", "-t", "3000");
    }

    @Test
    void theLongestReconnectWaitIsAFlag() {
        assertEquals(Duration.ofSeconds(3), settings("-c", "s", "-f", "4000", "-t", "3000", "--max-backoff", "3")
                .maxBackoff());
        assertUsageError("rtunnel_client: Invalid value for option '--max-backoff': must be at least 1 second, not 0",
                "-c", "s", "-f", "4000", "-t", "3000", "--max-backoff", "0");
    }

    @Test
    void anUnknownFlagIsNamedBeforeAnyMissingOne() {
        assertUsageError("rtunnel_client: Unknown option: '--bogus'", "--bogus");
    }

    @Test
    void aMisspeltFlagIsNamedWithWhatWasMeant() {
        assertUsageError("rtunnel_client: Unknown option: '--tunel-to'\nrtunnel_client: did you mean '--tunnel-to'?",
                "-c", "s", "-f", "24011", "--tunel-to", "3000");
    }

    @Test
    void aRemotePortWithoutATargetIsAUsageError() {
        assertUsageError("rtunnel_client: Missing required option: '--tunnel-to=[HOST:]PORT'", "-c", "s", "-f", "4000");
    }

    @Test
    void unpairedRemotesAreAUsageError() {
        assertUsageError("rtunnel_client: give -f and -t in pairs: found 2 -f/--remote-listen-port but 1 "
                + "-t/--tunnel-to", "-c", "s", "-f", "4000", "-f", "4001", "-t", "3000");
    }

    @Test
    void aHostnameTakesThePlaceOfAnFAndPairsWithTheTFollowingIt() {
        ClientSettings settings = settings("-c", "s", "-f", "4000", "-t", "3000", "--hostname", "app", "-t", "8080",
                "-f", "4001", "-t", "3001");

        assertEquals(List.of(TunnelSpec.parse("4000", "3000"), TunnelSpec.named("app", "8080"),
                TunnelSpec.parse("4001", "3001")), settings.tunnels());
        assertEquals("app", settings.tunnels().get(1).hostname());
    }

    @Test
    void unpairedHostnamesAreAUsageError() {
        assertUsageError("rtunnel_client: give -f (or --hostname) and -t in pairs: found 2 -f/--remote-listen-port "
                + "or --hostname but 1 -t/--tunnel-to", "-c", "s", "--hostname", "a", "-f", "4000", "-t", "3000");
    }

    @Test
    void neitherFNorHostnameIsAUsageError() {
        assertUsageError("rtunnel_client: Missing required option: '--remote-listen-port' or '--hostname'",
                "-c", "s", "-t", "3000");
    }

    @Test
    void allowFromBelongsToTheTunnelItFollowsOrBeforeTheFirstToAll() {
        ClientSettings settings = settings("-c", "s", "--allow-from", "10.0.0.0/8", "-f", "4000", "-t", "3000",
                "--hostname", "app", "-t", "8080", "--allow-from", "192.168.1.7/16,2001:db8::/32");

        assertEquals(List.of("10.0.0.0/8"), settings.tunnels().get(0).rules().allowFrom());
        assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16", "2001:db8:0:0:0:0:0:0/32"),
                settings.tunnels().get(1).rules().allowFrom());
    }

    @Test
    void basicAuthGoesToNamesAndKeepsCommasInThePassword() {
        ClientSettings settings = settings("-c", "s", "--basic-auth", "alice:a,b:c", "-f", "4000", "-t", "3000",
                "--hostname", "app", "-t", "8080", "--forwarded-headers");

        assertEquals(new rtunnel.protocol.VisitorRules(0, List.of(), "", "", false), settings.tunnels().get(0).rules());
        assertEquals(new rtunnel.protocol.VisitorRules(0, List.of(), "alice", "a,b:c", true),
                settings.tunnels().get(1).rules());
        assertFalse(settings.tunnels().get(1).toString().contains("a,b:c"), "the password never shows");
    }

    @Test
    void basicAuthAfterAPortTunnelIsAUsageError() {
        assertUsageError("rtunnel_client: Invalid value for option '--basic-auth': it applies to --hostname tunnels "
                + "only, not to -f 0.0.0.0:4000", "-c", "s", "-f", "4000", "-t", "3000", "--basic-auth", "a:b");
    }

    @Test
    void basicAuthWithoutAPasswordIsAUsageErrorThatDoesNotEchoTheValue() {
        assertUsageError("rtunnel_client: Invalid value for option '--basic-auth': give USER:PASSWORD, both not empty",
                "-c", "s", "--hostname", "app", "-t", "3000", "--basic-auth", "s3cretword");
    }

    @Test
    void aBadAllowFromIsAUsageErrorNamingTheValue() {
        assertUsageError("rtunnel_client: Invalid value for option '--allow-from': '10.0.0.0/40' is not a CIDR block: "
                + "the prefix length must be 0 to 32", "-c", "s", "-f", "4000", "-t", "3000", "--allow-from",
                "10.0.0.0/40");
    }

    @Test
    void aControlPortAbove65535IsAUsageErrorNamingTheValue() {
        assertUsageError("rtunnel_client: Invalid value for option '--control-address': 'myserver.com:70000': "
                + "port 70000 is above 65535", "-c", "myserver.com:70000", "-f", "4000", "-t", "3000");
    }

    @Test
    void aRemotePortAbove65535IsAUsageErrorNamingTheTunnel() {
        assertUsageError("rtunnel_client: Invalid tunnel '-f 70000 -t 3000': '70000': port 70000 is above 65535",
                "-c", "s", "-f", "70000", "-t", "3000");
    }

    @Test
    void aZeroTimeoutIsAUsageError() {
        assertUsageError("rtunnel_client: Invalid value for option '--timeout': must be at least 1 second, not 0",
                "-c", "s", "-f", "4000", "-t", "3000", "-o", "0");
    }

    @Test
    void versionNamesTheProgramAndTheJava() {
        assertEquals(ExitCodes.OK, ClientMain.run(new PrintWriter(out), new PrintWriter(err), "--version"));

        assertTrue(out.toString().startsWith("rtunnel_client "), out.toString());
        assertTrue(out.toString().contains("(Java " + System.getProperty("java.version") + ")"), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void helpListsEveryFlagAndTheExitCodes() {
        assertEquals(ExitCodes.OK, ClientMain.run(new PrintWriter(out), new PrintWriter(err), "--help"));

        for (String flag : List.of("--control-address", "--remote-listen-port", "--tunnel-to", "--log-level",
                "--timeout", "--quiet", "--json", "Exit codes:", "Environment:", "RTUNNEL_KEY_PASSPHRASE")) {
            assertTrue(out.toString().contains(flag), flag + " in\n" + out);
        }
    }

    @Test
    void quietAndJsonContradictEachOther() {
        assertUsageError("rtunnel_client: --quiet and --json contradict each other",
                "-c", "s", "-f", "4000", "-t", "3000", "-q", "--json");
    }

    private void assertUsageError(String firstLine, String... args) {
        int status = ClientMain.run(new PrintWriter(out), new PrintWriter(err), args);

        assertEquals(ExitCodes.USAGE, status);
        assertEquals(firstLine + "\nTry 'rtunnel_client --help' for more information.\n", err.toString());
        assertEquals("", out.toString());
    }

    private static ClientSettings settings(String... args) {
        ClientCommand command = new ClientCommand();
        ClientMain.commandLine(command, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .parseArgs(args);
        return command.settings();
    }
}
