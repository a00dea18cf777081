package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.VisitorRules;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.auth.ClientIdentity;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.cli.DocFiles;
import rtunnel.cli.EventCatalogue;
import rtunnel.cli.ExampleCommand;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.OptionEnvironment;
import rtunnel.protocol.HostPort;
import rtunnel.testing.KeyFixtures;

/**
 * The client's command line as scripts drive it: options from RTUNNEL_ variables and from argument files,
 * and the examples of docs/scripting.md. Nothing here opens a socket.
 */
class ClientScriptingTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void theGuidesEnvironmentExampleStartsTheSameTunnelsAsItsFlags() {
        String byEnvironment = "RTUNNEL_CONTROL_ADDRESS=tunnel.example.com RTUNNEL_REMOTE_LISTEN_PORT=4000,4001 "
                + "RTUNNEL_TUNNEL_TO=3000,3001 rtunnel_client";
        String byFlags = "rtunnel_client -c tunnel.example.com -f 4000 -t 3000 -f 4001 -t 3001";

        ClientSettings settings = command(ExampleCommand.parse(byEnvironment)).settings();

        assertEquals(command(ExampleCommand.parse(byFlags)).settings(), settings);
        assertEquals(List.of(TunnelSpec.parse("4000", "3000"), TunnelSpec.parse("4001", "3001")), settings.tunnels());
        DocFiles.assertScriptingShows(byEnvironment + "\n" + byFlags + "\n");
    }

    @Test
    void readsEveryOptionFromTheEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("RTUNNEL_CONTROL_ADDRESS", "myserver.com:2000");
        environment.put("RTUNNEL_REMOTE_LISTEN_PORT", "4000,127.0.0.1:4001");
        environment.put("RTUNNEL_TUNNEL_TO", "3000,10.0.0.5:80");
        environment.put("RTUNNEL_PROXY_PROTOCOL", "v1,v2");
        environment.put("RTUNNEL_LOG_LEVEL", "debug");
        environment.put("RTUNNEL_TIMEOUT", "3");
        environment.put("RTUNNEL_PRIVATE_KEY", "/keys/id");
        environment.put("RTUNNEL_AGENT_KEY", "SHA256:agent");
        environment.put("RTUNNEL_SERVER_FINGERPRINT", "SHA256:server");
        environment.put("RTUNNEL_NO_ENCRYPTION", "true");
        environment.put("RTUNNEL_MAX_RETRIES", "2");
        environment.put("RTUNNEL_QUIET", "true");
        environment.put("RTUNNEL_DRAIN", "1");

        ClientCommand fromEnvironment = command(environment);
        ClientCommand fromFlags = command(Map.of(), "-c", "myserver.com:2000", "-f", "4000", "-f", "127.0.0.1:4001",
                "-t", "3000", "-t", "10.0.0.5:80", "--proxy-protocol", "v1", "--proxy-protocol", "v2", "-l", "debug",
                "-o", "3", "-k", "/keys/id", "--agent-key", "SHA256:agent", "--server-fingerprint", "SHA256:server",
                "--no-encryption", "--max-retries", "2", "-q", "--drain", "1");

        assertEquals(fromFlags.settings(), fromEnvironment.settings());
        assertEquals(List.of(fromFlags.logLevel, fromFlags.privateKey, fromFlags.agentKey, fromFlags.quiet,
                fromFlags.drainSeconds), List.of(fromEnvironment.logLevel, fromEnvironment.privateKey,
                fromEnvironment.agentKey, fromEnvironment.quiet, fromEnvironment.drainSeconds));
        assertEquals(Path.of("/keys/id"), fromEnvironment.privateKey);
        assertTrue(fromEnvironment.quiet);
    }

    @Test
    void theGuidesEnvironmentFileSetsATunnelAKeyAndJson() {
        String file = "RTUNNEL_CONTROL_ADDRESS=tunnel.example.com\nRTUNNEL_REMOTE_LISTEN_PORT=4000\n"
                + "RTUNNEL_TUNNEL_TO=3000\nRTUNNEL_PRIVATE_KEY=/etc/rtunnel/id_ed25519\nRTUNNEL_JSON=true\n";
        Map<String, String> environment = new LinkedHashMap<>();
        file.lines().forEach(line -> environment.put(line.substring(0, line.indexOf('=')),
                line.substring(line.indexOf('=') + 1)));

        ClientCommand command = command(environment);

        assertEquals(settings("-c", "tunnel.example.com", "-f", "4000", "-t", "3000"), command.settings());
        assertEquals(Path.of("/etc/rtunnel/id_ed25519"), command.privateKey);
        assertTrue(command.json);
        DocFiles.assertScriptingShows("```sh\n" + file + "```");
    }

    @Test
    void theCommandLineReplacesTheEnvironmentsWholeList() {
        ClientCommand command = command(Map.of("RTUNNEL_CONTROL_ADDRESS", "s",
                "RTUNNEL_REMOTE_LISTEN_PORT", "4000,4001", "RTUNNEL_TUNNEL_TO", "3000,3001"), "-f", "5000", "-t", "6000");

        assertEquals(List.of(TunnelSpec.parse("5000", "6000")), command.settings().tunnels());
    }

    @Test
    void aCommaListOnTheCommandLineIsTheSameAsRepeatingTheOption() {
        assertEquals(settings("-c", "s", "-f", "4000", "-f", "4001", "-t", "3000", "-t", "3001"),
                settings("-c", "s", "-f", "4000,4001", "-t", "3000,3001"));
    }

    @Test
    void aBadValueFromTheEnvironmentNamesItsVariable() {
        String example = "$ RTUNNEL_TIMEOUT=soon rtunnel_client -c tunnel.example.com -f 4000 -t 3000";
        ExampleCommand command = ExampleCommand.parse(example);

        int status = ClientMain.run(new PrintWriter(out), new PrintWriter(err),
                new OptionEnvironment(command.environment()), command.argArray());

        assertEquals(ExitCodes.USAGE, status);
        assertEquals("rtunnel_client: Invalid value for option '--timeout': 'soon' is not an int (from "
                + "RTUNNEL_TIMEOUT)\nTry 'rtunnel_client --help' for more information.\n", err.toString());
        DocFiles.assertScriptingShows(example + "\n" + err);
    }

    @Test
    void aDollarBraceInAVariableStaysLiteral() {
        ClientCommand command = command(Map.of("RTUNNEL_SERVER_FINGERPRINT", "SHA256:${env:HOME}"),
                "-c", "s", "-f", "4000", "-t", "3000");

        assertEquals(List.of("SHA256:${env:HOME}"), command.settings().serverFingerprints());
    }

    @Test
    void helpShowsValuesFromTheEnvironmentButNeverThePassphrase() {
        Map<String, String> environment = Map.of("RTUNNEL_CONTROL_ADDRESS", "tunnel.example.com",
                "RTUNNEL_KEY_PASSPHRASE", "correct horse battery staple");

        int status = ClientMain.run(new PrintWriter(out), new PrintWriter(err), new OptionEnvironment(environment),
                "--help");

        assertEquals(ExitCodes.OK, status);
        assertTrue(out.toString().contains("Default: tunnel.example.com"), out.toString());
        assertFalse(out.toString().contains("correct horse"), out.toString());
    }

    @Test
    void helpNeverShowsABasicAuthPasswordFromTheEnvironment() {
        Map<String, String> environment = Map.of("RTUNNEL_BASIC_AUTH", "alice:correct-horse");

        int status = ClientMain.run(new PrintWriter(out), new PrintWriter(err), new OptionEnvironment(environment),
                "--help");

        assertEquals(ExitCodes.OK, status);
        assertTrue(out.toString().contains("--basic-auth"), out.toString());
        assertFalse(out.toString().contains("correct-horse"), out.toString());
    }

    @Test
    void namesAndVisitorRulesComeFromTheEnvironmentForEveryTunnel() {
        ClientCommand command = command(Map.of("RTUNNEL_CONTROL_ADDRESS", "s", "RTUNNEL_REMOTE_LISTEN_PORT", "4000",
                "RTUNNEL_HOSTNAME", "app", "RTUNNEL_TUNNEL_TO", "3000,8080", "RTUNNEL_ALLOW_FROM", "10.0.0.0/8",
                "RTUNNEL_BASIC_AUTH", "alice:pw", "RTUNNEL_FORWARDED_HEADERS", "true"));

        List<TunnelSpec> tunnels = command.settings().tunnels();

        assertEquals(List.of(TunnelSpec.parse("4000", "3000").withRules(new VisitorRules(0, List.of("10.0.0.0/8"), "",
                "", false)), TunnelSpec.named("app", "8080").withRules(new VisitorRules(0, List.of("10.0.0.0/8"),
                "alice", "pw", true))), tunnels);
    }

    @Test
    void everyOptionHasItsOwnVariableAndTheScriptingGuideListsThemAll() {
        DocFiles.assertGuideListsEveryVariable(ClientMain.commandLine(Map.of()).getCommandSpec(),
                "### rtunnel_client variables", "## Arguments from a file");
    }

    @Test
    void readsTheGuidesArgumentFile(@TempDir Path directory) throws Exception {
        String file = "# tunnel.args: the web app on port 3000, public on port 4000\n-c tunnel.example.com\n"
                + "-f 4000\n-t 3000\n";
        String example = "rtunnel_client @tunnel.args --json";
        Path args = Files.writeString(directory.resolve("tunnel.args"), file);

        // The example's relative @tunnel.args, as a path in the test's directory.
        ClientCommand command = command(Map.of(), ExampleCommand.parse(example).args().stream()
                .map(arg -> arg.equals("@tunnel.args") ? "@" + args : arg).toArray(String[]::new));

        assertEquals(settings("-c", "tunnel.example.com", "-f", "4000", "-t", "3000"), command.settings());
        assertTrue(command.json);
        DocFiles.assertScriptingShows("```\n" + file + "```");
        DocFiles.assertScriptingShows(example);
    }

    @Test
    void anOptionInTheArgumentFileAndOnTheCommandLineIsAUsageError(@TempDir Path directory) throws Exception {
        Path args = Files.writeString(directory.resolve("tunnel.args"), "-c s -f 4000 -t 3000 -o 5\n");

        assertUsageError("rtunnel_client: option '--timeout' (SECONDS) should be specified only once", "@" + args,
                "-o", "30");
    }

    @Test
    void theGuidesQuietExampleAsksForQuiet() {
        String example = "rtunnel_client -q -c tunnel.example.com -f 4000 -t 3000";

        ClientCommand command = command(ExampleCommand.parse(example));

        assertTrue(command.quiet);
        assertEquals(settings("-c", "tunnel.example.com", "-f", "4000", "-t", "3000"), command.settings());
        DocFiles.assertScriptingShows("```sh\n" + example + "\n```");
    }

    private void assertUsageError(String firstLine, String... args) {
        int status = ClientMain.run(new PrintWriter(out), new PrintWriter(err), args);

        assertEquals(ExitCodes.USAGE, status);
        assertEquals(firstLine + "\nTry 'rtunnel_client --help' for more information.\n", err.toString());
        assertEquals("", out.toString());
    }

    private static ClientSettings settings(String... args) {
        return command(Map.of(), args).settings();
    }

    private static ClientCommand command(ExampleCommand example) {
        assertEquals("rtunnel_client", example.program());
        return command(example.environment(), example.argArray());
    }

    private static ClientCommand command(Map<String, String> environment, String... args) {
        ClientCommand command = new ClientCommand();
        ClientMain.commandLine(command, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new OptionEnvironment(environment)).parseArgs(args);
        return command;
    }

    @Test
    void theScriptingGuideListsEveryEventTheClientPrints() throws Exception {
        HostPort server = new HostPort("127.0.0.1", 1);
        ClientSettings settings = new ClientSettings(server, List.of(new TunnelSpec(server, server)),
                java.time.Duration.ofSeconds(1));
        EventCatalogue.assertListsEveryEvent("client", ClientEvents.class,
                stdout -> new PrintedEvents(settings, PrintedEvents.Style.JSON, stdout, new PrintWriter(new StringWriter())),
                Map.of(String.class, "x", int.class, 1, HostPort.class, server, TunnelSpec.class,
                        new TunnelSpec(server, server), java.time.Duration.class, java.time.Duration.ZERO,
                        Path.class, Path.of("/x"), rtunnel.protocol.NameAccepted.class,
                        new rtunnel.protocol.NameAccepted(1, "app.example.test", 80, 443),
                        java.net.InetSocketAddress.class, new java.net.InetSocketAddress("127.0.0.1", 1), ClientIdentity.class,
                        SshPrivateKey.load(new KeyFixtures().file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE))));
    }
}
