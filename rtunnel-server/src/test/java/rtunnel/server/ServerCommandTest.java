package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import rtunnel.cli.ExitCodes;
import rtunnel.policy.PortRange;

/** The command line alone: nothing here binds a socket. */
class ServerCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theDefaultsAreTheOriginals() {
        ServerSettings settings = settings();

        assertEquals(new InetSocketAddress(19050), settings.controlAddress());
        assertEquals(PortRange.ALL, settings.ports());
        assertEquals(Duration.ofSeconds(2), settings.keepAlive());
    }

    @Test
    void theStartupLimitsDefaultToServerLimitsDefaults() {
        ServerLimits limits = settings().limits();

        assertEquals(ServerLimits.DEFAULT_MAX_STARTUPS, limits.maxStartups());
        assertEquals(ServerLimits.DEFAULT_PER_SOURCE_MAX_STARTUPS, limits.perSourceMaxStartups());
        assertEquals(ServerLimits.DEFAULTS.maxClients(), limits.maxClients());
    }

    @Test
    void readsTheStartupLimitsAsSshdUsersWriteThem() {
        ServerLimits limits = settings("--max-startups", "10:30:100", "--per-source-max-startups", "3").limits();

        assertEquals(new MaxStartups(10, 30, 100), limits.maxStartups());
        assertEquals(3, limits.perSourceMaxStartups());
        assertEquals(new MaxStartups(64, 100, 64), settings("--max-startups", "64").limits().maxStartups());
    }

    @Test
    void aMaxStartupsStartAboveFullIsAUsageError() {
        assertUsageError("rtunnel_server: Invalid value for option '--max-startups': START 200 is above FULL 100",
                "--max-startups", "200:30:100");
    }

    @Test
    void aMaxStartupsNotInSshdsFormIsAUsageErrorNamingTheValue() {
        assertUsageError("rtunnel_server: Invalid value for option '--max-startups': "
                + "'10:30' is not START:RATE:FULL or a number", "--max-startups", "10:30");
    }

    @Test
    void aZeroPerSourceLimitIsAUsageError() {
        assertUsageError("rtunnel_server: Invalid value for option '--per-source-max-startups': "
                + "must be at least 1, not 0", "--per-source-max-startups", "0");
    }

    @Test
    void theRemovedMaxPendingIsAnUnknownOptionPointingToMaxStartups() {
        assertUsageError("rtunnel_server: Unknown option: '--max-pending'\nrtunnel_server: did you mean "
                + "'--max-clients', '--max-startups' or '--max-tunnels-per-client'?", "--max-pending", "128");
    }

    @Test
    void readsEveryFlag() {
        ServerSettings settings = settings("-c", "127.0.0.1:4000", "-p", "3000", "-P", "3999", "-k", "5", "-l", "info");

        assertEquals(new InetSocketAddress("127.0.0.1", 4000), settings.controlAddress());
        assertEquals(new PortRange(3000, 3999), settings.ports());
        assertEquals(Duration.ofSeconds(5), settings.keepAlive());
    }

    @Test
    void readsTheLongFlags() {
        ServerSettings settings = settings("--control", "127.0.0.1", "--lowest-listen-port", "3000",
                "--highest-listen-port", "3999", "--keep-alive", "5", "--log-level", "warn");

        assertEquals(new InetSocketAddress("127.0.0.1", 19050), settings.controlAddress());
        assertEquals(new PortRange(3000, 3999), settings.ports());
    }

    @Test
    void readsTheWebPortsAndDomains() {
        VisitorSettings web = settings("--http-port", "8080", "--https-port", "127.0.0.1:8443", "--domain",
                "MyServer.com,example.test", "--domain", "example.org").visitors();

        assertEquals(new InetSocketAddress(8080), web.http());
        assertEquals(new InetSocketAddress("127.0.0.1", 8443), web.https());
        assertEquals(java.util.List.of("myserver.com", "example.test", "example.org"), web.domains().domains());
    }

    @Test
    void readsTheOperatorsAllowFrom() {
        assertEquals(java.util.List.of("10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32"),
                settings("--allow-from", "10.0.0.0/8,2001:db8::/32").visitors().allowFrom().texts());
        assertUsageError("rtunnel_server: Invalid value for option '--allow-from': 'example.com' is not a CIDR block: "
                + "not an IPv4 or IPv6 address", "--allow-from", "example.com");
    }

    @Test
    void aWebPortWithoutADomainIsAUsageError() {
        assertUsageError("rtunnel_server: --http-port and --https-port need a --domain", "--http-port", "80");
    }

    @Test
    void aBadDomainIsAUsageErrorNamingIt() {
        assertUsageError("rtunnel_server: Invalid value for option '--domain': 'my server.com' is not a domain name",
                "--http-port", "80", "--domain", "my server.com");
    }

    @Test
    void aBarePortListensOnEveryInterface() {
        assertEquals(new InetSocketAddress(4000), settings("-c", "4000").controlAddress());
    }

    @Test
    void anIpv6ControlAddressIsBracketed() {
        assertEquals(new InetSocketAddress("::1", 19050), settings("-c", "[::1]:19050").controlAddress());
    }

    @Test
    void aControlPortAbove65535IsAUsageErrorNamingTheValue() {
        assertUsageError("rtunnel_server: Invalid value for option '--control': '127.0.0.1:70000': "
                + "port 70000 is above 65535", "-c", "127.0.0.1:70000");
    }

    @Test
    void aListenPortAbove65535IsAUsageErrorNamingTheOption() {
        assertUsageError("rtunnel_server: Invalid value for option '--highest-listen-port': "
                + "port 70000 is not between 1 and 65535", "-P", "70000");
    }

    @Test
    void anInvertedRangeIsAUsageError() {
        assertUsageError("rtunnel_server: lowest port 5 is above highest port 3", "-p", "5", "-P", "3");
    }

    @Test
    void aZeroKeepAliveIsAUsageError() {
        assertUsageError("rtunnel_server: Invalid value for option '--keep-alive': must be at least 1, not 0",
                "-k", "0");
    }

    @Test
    void anUnknownLogLevelIsAUsageError() {
        assertUsageError("rtunnel_server: Invalid value for option '--log-level': "
                + "'loud' is not one of debug, info, warn, error", "-l", "loud");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        assertUsageError("rtunnel_server: Unknown option: '-x'", "-x");
    }

    @Test
    void versionNamesTheProgramAndTheJava() {
        assertEquals(ExitCodes.OK, ServerMain.run(new PrintWriter(out), new PrintWriter(err), "--version"));

        assertTrue(out.toString().startsWith("rtunnel_server "), out.toString());
        assertTrue(out.toString().contains("(Java " + System.getProperty("java.version") + ")"), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void helpListsEveryFlagAndTheExitCodes() {
        assertEquals(ExitCodes.OK, ServerMain.run(new PrintWriter(out), new PrintWriter(err), "--help"));

        for (String flag : List.of("--control", "--lowest-listen-port", "--highest-listen-port", "--log-level",
                "--keep-alive", "--json", "Exit codes:", "Environment:", "RTUNNEL_LOG_LEVEL")) {
            assertTrue(out.toString().contains(flag), flag + " in\n" + out);
        }
    }

    private void assertUsageError(String firstLine, String... args) {
        int status = ServerMain.run(new PrintWriter(out), new PrintWriter(err), args);

        assertEquals(ExitCodes.USAGE, status);
        assertEquals(firstLine + "\nTry 'rtunnel_server --help' for more information.\n", err.toString());
        assertEquals("", out.toString());
    }

    private static ServerSettings settings(String... args) {
        ServerCommand command = new ServerCommand();
        ServerMain.commandLine(command, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .parseArgs(args);
        return command.settings();
    }
}
