package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.OptionEnvironment;
import rtunnel.policy.PortRange;
import rtunnel.server.TunnelServer;

/**
 * What the whole client command prints with --quiet and --json, run in this JVM against a real server on
 * 127.0.0.1 that refuses the port: the client exits by itself, so stdout can be read to its end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientOutputTest {

    private static final String REFUSED = "rtunnel_client: server refused port 1: outside 2-3\n";

    /** The command sets the log level as system properties; this test leaves them as it found them. */
    private final Properties before = (Properties) System.getProperties().clone();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** Each test's own known_hosts: the first contact is recorded there, never in the real home. */
    @TempDir
    Path home;

    @AfterEach
    void restoreSystemProperties() {
        System.setProperties(before);
    }

    @Test
    void quietPrintsNothingButTheError() throws Exception {
        assertEquals(ExitCodes.PORT_REFUSED, runAgainstARefusingServer(OptionEnvironment.none(), "-q"));

        assertEquals("", out.toString());
        assertEquals(REFUSED, err.toString());
    }

    @Test
    void quietCanComeFromTheEnvironment() throws Exception {
        OptionEnvironment quiet = new OptionEnvironment(Map.of("RTUNNEL_QUIET", "true"));

        assertEquals(ExitCodes.PORT_REFUSED, runAgainstARefusingServer(quiet));

        assertEquals("", out.toString());
        assertEquals(REFUSED, err.toString());
    }

    @Test
    void jsonPrintsEventsOnStdoutAndTheErrorStaysOneLineOnStderr() throws Exception {
        assertEquals(ExitCodes.PORT_REFUSED, runAgainstARefusingServer(OptionEnvironment.none(), "--json"));

        String events = out.toString();
        String file = Pattern.quote(home.resolve("known_hosts").toString());
        assertTrue(events.matches("\\{\"event\":\"host_key_recorded\",\"server\":\"127\\.0\\.0\\.1:\\d+\","
                + "\"hostKey\":\"SHA256:[A-Za-z0-9+/]{43}\",\"file\":\"" + file + "\"}\n"
                + "\\{\"event\":\"server_identified\",\"server\":\"127\\.0\\.0\\.1:\\d+\","
                + "\"hostKey\":\"SHA256:[A-Za-z0-9+/]{43}\"}\n"), events);
        assertEquals(REFUSED, err.toString());
    }

    private int runAgainstARefusingServer(OptionEnvironment environment, String... flags) throws Exception {
        try (TunnelServer server = RunningTunnel.startServer(new PortRange(2, 3))) {
            String[] args = {"-c", "127.0.0.1:" + server.controlAddress().getPort(), "-f", "127.0.0.1:1",
                "-t", "127.0.0.1:9", "--known-hosts", home.resolve("known_hosts").toString()};
            String[] all = new String[args.length + flags.length];
            System.arraycopy(args, 0, all, 0, args.length);
            System.arraycopy(flags, 0, all, args.length, flags.length);
            return ClientMain.run(new PrintWriter(out), new PrintWriter(err), environment, all);
        }
    }
}
