package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.auth.ProtectionMode;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.cli.DocFiles;
import rtunnel.cli.EventCatalogue;
import rtunnel.cli.ExampleCommand;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.LogLevel;
import rtunnel.cli.OptionEnvironment;

/**
 * The server's command line as scripts drive it: options from RTUNNEL_ variables and from argument files,
 * and the examples of docs/scripting.md. Nothing here binds a socket.
 */
class ServerScriptingTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void readsEveryFlagFromTheEnvironment() {
        ServerSettings settings = settings(Map.of("RTUNNEL_CONTROL", "127.0.0.1:4000",
                "RTUNNEL_LOWEST_LISTEN_PORT", "3000", "RTUNNEL_HIGHEST_LISTEN_PORT", "3999", "RTUNNEL_KEEP_ALIVE", "5",
                "RTUNNEL_REQUIRE_ENCRYPTION", "true", "RTUNNEL_MAX_CLIENTS", "7"));

        assertEquals(settings("-c", "127.0.0.1:4000", "-p", "3000", "-P", "3999", "-k", "5", "--require-encryption",
                "--max-clients", "7"), settings);
        assertEquals(ProtectionMode.ENCRYPTED_ONLY, settings.protections());
    }

    @Test
    void theCommandLineWinsOverTheEnvironment() {
        String example = "RTUNNEL_LOG_LEVEL=debug rtunnel_server -l warn";
        ExampleCommand command = ExampleCommand.parse(example);
        ServerCommand server = new ServerCommand();

        ServerMain.commandLine(server, new PrintWriter(out), new PrintWriter(err),
                new OptionEnvironment(command.environment())).parseArgs(command.argArray());

        assertEquals(LogLevel.WARN, server.logLevel);
        DocFiles.assertScriptingShows(example);
    }

    @Test
    void aSwitchInTheEnvironmentIsTrueOrFalse() {
        assertEquals(ProtectionMode.INTEGRITY_ONLY, settings(Map.of("RTUNNEL_NO_ENCRYPTION", "true")).protections());
        assertEquals(ProtectionMode.DEFAULT, settings(Map.of("RTUNNEL_NO_ENCRYPTION", "false")).protections());
        assertUsageError(Map.of("RTUNNEL_NO_ENCRYPTION", "yes"), "rtunnel_server: Invalid value for option "
                + "'--no-encryption': 'yes' is not a boolean (from RTUNNEL_NO_ENCRYPTION)");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesItsVariable() {
        assertUsageError(Map.of("RTUNNEL_KEEP_ALIVE", "0"), "rtunnel_server: Invalid value for option "
                + "'--keep-alive': must be at least 1, not 0 (from RTUNNEL_KEEP_ALIVE)");
    }

    @Test
    void aValueFromTheEnvironmentThatIsNotANumberNamesItsVariable() {
        assertUsageError(Map.of("RTUNNEL_MAX_CLIENTS", "many"), "rtunnel_server: Invalid value for option "
                + "'--max-clients': 'many' is not an int (from RTUNNEL_MAX_CLIENTS)");
    }

    @Test
    void aBadValueOnTheCommandLineIsNotBlamedOnTheEnvironment() {
        assertUsageError(Map.of("RTUNNEL_KEEP_ALIVE", "5"), "rtunnel_server: Invalid value for option "
                + "'--keep-alive': must be at least 1, not 0", "-k", "0");
    }

    @Test
    void helpAndVersionAreNeverTakenFromTheEnvironment() {
        assertUsageError(Map.of("RTUNNEL_HELP", "true", "RTUNNEL_VERSION", "true"), "rtunnel_server: Invalid value "
                + "for option '--highest-listen-port': port 70000 is not between 1 and 65535", "-P", "70000");
    }

    @Test
    void helpShowsValuesFromTheEnvironmentButNeverThePassphrase() {
        Map<String, String> environment = Map.of("RTUNNEL_CONTROL", "127.0.0.1:4000",
                "RTUNNEL_KEY_PASSPHRASE", "correct horse battery staple");

        int status = ServerMain.run(new PrintWriter(out), new PrintWriter(err), new OptionEnvironment(environment),
                "--help");

        assertEquals(ExitCodes.OK, status);
        assertTrue(out.toString().contains("Default: 127.0.0.1:4000"), out.toString());
        assertFalse(out.toString().contains("correct horse"), out.toString());
    }

    @Test
    void everyOptionHasItsOwnVariableAndTheScriptingGuideListsThemAll() {
        DocFiles.assertGuideListsEveryVariable(ServerMain.commandLine(Map.of()).getCommandSpec(),
                "### rtunnel_server variables", "### rtunnel_client variables");
    }

    @Test
    void readsArgumentsFromAFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("server.args"), "# the test range\n-c 127.0.0.1:4000\n"
                + "-p 3000 -P 3999\n");

        assertEquals(settings("-c", "127.0.0.1:4000", "-p", "3000", "-P", "3999"), settings("@" + file));
    }

    private void assertUsageError(Map<String, String> environment, String firstLine, String... args) {
        int status = ServerMain.run(new PrintWriter(out), new PrintWriter(err), new OptionEnvironment(environment),
                args);

        assertEquals(ExitCodes.USAGE, status);
        assertEquals(firstLine + "\nTry 'rtunnel_server --help' for more information.\n", err.toString());
        assertEquals("", out.toString());
    }

    private static ServerSettings settings(String... args) {
        return settings(Map.of(), args);
    }

    private static ServerSettings settings(Map<String, String> environment, String... args) {
        ServerCommand command = new ServerCommand();
        ServerMain.commandLine(command, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new OptionEnvironment(environment)).parseArgs(args);
        return command.settings();
    }

    @Test
    void theScriptingGuideListsEveryEventTheServerPrints() throws Exception {
        EventCatalogue.assertListsEveryEvent("server", ServerEvents.class,
                stdout -> new PrintedServerEvents(true, false, stdout, new PrintWriter(err)),
                Map.of(String.class, "x", int.class, 1, boolean.class, true, Refusal.class, Refusal.LIMIT,
                        HostPort.class, new HostPort("127.0.0.1", 1),
                        InetSocketAddress.class, new InetSocketAddress("127.0.0.1", 1)));
    }
}
