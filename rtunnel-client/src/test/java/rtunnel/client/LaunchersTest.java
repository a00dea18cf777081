package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.DocFiles;
import rtunnel.cli.ExampleCommand;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.KeyFixtures;

/** {@code bin/rtunnel_server} and {@code bin/rtunnel_client} as separate processes, end to end. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchersTest {

    private static final String LISTENING = "rtunnel_server: listening for clients on 127.0.0.1:";

    /** Starts a launcher with variables of its own, as {@code NAME=VALUE program} does in a shell. */
    private static final Path ENV = Path.of("/usr/bin/env");

    /** What the server says on stderr, before its first event, when it runs without -a. */
    private static final String OPEN_SERVER_WARNING =
            "rtunnel_server: warning: no -a/--authorized-keys: any client may connect and open ports";

    @Test
    void aVisitorOnTheServersPortReachesTheTargetAndBothStopWithZero() throws Exception {
        try (HelloTarget target = new HelloTarget();
                RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0", "-l", "info")) {
            int controlPort = port(server.awaitLine(LISTENING), LISTENING);
            try (RunningProgram client = RunningProgram.start("rtunnel_client", "-c", "127.0.0.1:" + controlPort,
                    "-f", "127.0.0.1:0", "-t", "127.0.0.1:" + target.port(), "-l", "info")) {
                String up = client.awaitLine("rtunnel_client: ");

                String suffix = " -> 127.0.0.1:" + target.port();
                assertTrue(up.startsWith("rtunnel_client: 127.0.0.1:") && up.endsWith(suffix), up);
                int publicPort = port(up.substring(0, up.length() - suffix.length()), "rtunnel_client: 127.0.0.1:");
                assertEquals("hello", visit(publicPort));
                assertEquals("hello", visit(publicPort));
                assertEquals(ExitCodes.OK, client.stop(), client.stderr());
            }
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    @Test
    void aPortOutsideTheServersRangeExitsWithFiveAndTheReason() throws Exception {
        try (RunningProgram server = RunningProgram.start("rtunnel_server",
                "-c", "127.0.0.1:0", "-p", "2", "-P", "3")) {
            int controlPort = port(server.awaitLine(LISTENING), LISTENING);
            try (RunningProgram client = RunningProgram.start("rtunnel_client", "-c", "127.0.0.1:" + controlPort,
                    "-f", "127.0.0.1:1", "-t", "127.0.0.1:9")) {
                assertEquals(ExitCodes.PORT_REFUSED, client.awaitExit(), client.stderr());

                String[] said = client.stderr().split("\n");
                assertEquals(2, said.length, client.stderr());
                assertTrue(said[0].matches("rtunnel_client: first contact with server 127\\.0\\.0\\.1:\\d+: recorded its "
                        + "host key SHA256:[A-Za-z0-9+/]{43} in /\\S+/known_hosts"), said[0]);
                assertEquals("rtunnel_client: server refused port 1: outside 2-3", said[1]);
            }
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    @Test
    void aPeerThatIsNotAnRtunnelServerEndsAClientWithoutRetriesWithSixAndOneLine() throws Exception {
        try (ServerSocket sshd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RunningProgram client = RunningProgram.start("rtunnel_client", "--no-reconnect",
                        "-c", "127.0.0.1:" + sshd.getLocalPort(), "-f", "127.0.0.1:0", "-t", "127.0.0.1:9")) {
            try (Socket connection = sshd.accept()) {
                connection.getOutputStream().write("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII));
                connection.setSoTimeout((int) RunningProgram.DEADLINE.toMillis());
                connection.getInputStream().transferTo(OutputStream.nullOutputStream());
            }

            assertEquals(ExitCodes.PROTOCOL_MISMATCH, client.awaitExit(), client.stderr());
            assertTrue(client.stderr().startsWith("rtunnel_client: "), client.stderr());
            assertEquals(1, client.stderr().lines().count(), client.stderr());
        }
    }

    @Test
    void theGuidesJsonSessionPrintsTheEventsItShows(@TempDir Path home) throws Exception {
        String serverExample = "$ rtunnel_server --json -c 127.0.0.1:0";
        try (RunningProgram server = RunningProgram.start("rtunnel_server",
                ExampleCommand.parse(serverExample).argArray())) {
            String listening = server.awaitLine();
            Matcher bound = Pattern.compile("\\{\"event\":\"listening\",\"address\":\"127\\.0\\.0\\.1:(\\d+)\","
                    + "\"hostKey\":\"(SHA256:[A-Za-z0-9+/]{43})\"}").matcher(listening);
            assertTrue(bound.matches(), listening);
            GuideSession guide = new GuideSession(bound.group(1), bound.group(2));
            guide.knownHosts = home.resolve(".rtunnel/known_hosts").toString();
            String clientExample = "$ rtunnel_client --json -c 127.0.0.1:" + GuideSession.PORT
                    + " -f 127.0.0.1:0 -t 3000";
            String[] clientArgs = ExampleCommand.parse(clientExample.replace(GuideSession.PORT, guide.controlPort))
                    .argArray();

            // First client: meets the server for the first time, connects, then stops; the server reports it
            // coming and going.
            try (RunningProgram client = RunningProgram.start(ENV, Path.of(""), concat(
                    "RTUNNEL_KNOWN_HOSTS=" + guide.knownHosts, RunningProgram.launcher("rtunnel_client").toString(),
                    clientArgs))) {
                String recorded = client.awaitLine();
                String identified = client.awaitLine();
                String up = client.awaitLine();
                Matcher tunnel = Pattern.compile("\\{\"event\":\"tunnel_up\",\"remote\":\"127\\.0\\.0\\.1:(\\d+)\","
                        + "\"target\":\"localhost:3000\"}").matcher(up);
                assertTrue(tunnel.matches(), up);
                guide.publicPort = tunnel.group(1);
                String connected = server.awaitLine();
                Matcher visitor = Pattern.compile("\\{\"event\":\"client_connected\",\"client\":\"127\\.0\\.0\\.1:(\\d+)\","
                        + "\"key\":null}").matcher(connected);
                assertTrue(visitor.matches(), connected);
                guide.clientPort = visitor.group(1);
                String serverUp = server.awaitLine();
                assertEquals(ExitCodes.OK, client.stop(), client.stderr());
                assertEquals("", client.stderr());
                String serverDown = server.awaitLine();
                String disconnected = server.awaitLine();

                DocFiles.assertScriptingShows(serverExample + "\n" + OPEN_SERVER_WARNING + "  (stderr)\n"
                        + guide.shown(listening) + "  (stdout)\n");
                DocFiles.assertScriptingShows(guide.shown(connected) + "\n" + guide.shown(serverUp) + "\n");
                DocFiles.assertScriptingShows(clientExample + "\n" + guide.shown(recorded) + "\n"
                        + guide.shown(identified) + "\n" + guide.shown(up) + "\n");
                DocFiles.assertScriptingShows(guide.shown(serverDown) + "\n" + guide.shown(disconnected) + "\n");
            }

            // Second client: the server stops under it; the client reports its tunnel down and reconnects.
            try (RunningProgram client = RunningProgram.start("rtunnel_client", clientArgs)) {
                client.awaitLine("{\"event\":\"tunnel_up\"");
                server.awaitStderr(OPEN_SERVER_WARNING);
                assertTrue(server.stderr().startsWith(OPEN_SERVER_WARNING + "\n"), server.stderr());
                assertEquals(ExitCodes.OK, server.stop(), server.stderr());
                String down = client.awaitLine();
                String reconnecting = client.awaitLine();
                assertTrue(down.startsWith("{\"event\":\"tunnel_down\""), down);
                Matcher waiting = Pattern.compile("(\\{\"event\":\"reconnecting\",\"attempt\":1,\"delayMillis\":)(\\d+)(,.*)")
                        .matcher(reconnecting);
                assertTrue(waiting.matches(), reconnecting);
                assertEquals(ExitCodes.OK, client.stop(), client.stderr());
                assertEquals("", client.stderr());

                guide.publicPort = down.replaceFirst(".*\"remote\":\"127\\.0\\.0\\.1:(\\d+)\".*", "$1");
                DocFiles.assertScriptingShows(guide.shown(down) + "\n"
                        + guide.shown(waiting.group(1) + GuideSession.DELAY_MILLIS + waiting.group(3)) + "\n");
            }
        }
    }

    @Test
    void aClientTakesItsTunnelFromAnArgumentFileAndJsonAndItsLevelFromTheEnvironment(@TempDir Path directory)
            throws Exception {
        try (HelloTarget target = new HelloTarget();
                RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0")) {
            int controlPort = port(server.awaitLine(LISTENING), LISTENING);
            Path args = Files.writeString(directory.resolve("tunnel.args"), "# the hello target\n"
                    + "-c 127.0.0.1:" + controlPort + "\n-f 127.0.0.1:0\n-t 127.0.0.1:" + target.port() + "\n");
            try (RunningProgram client = RunningProgram.start(ENV, Path.of(""), "RTUNNEL_JSON=true",
                    "RTUNNEL_LOG_LEVEL=info", RunningProgram.launcher("rtunnel_client").toString(), "@" + args)) {
                String up = client.awaitLine("{\"event\":\"tunnel_up\"");

                String prefix = "{\"event\":\"tunnel_up\",\"remote\":\"127.0.0.1:";
                assertTrue(up.startsWith(prefix), up);
                assertEquals("hello", visit(Integer.parseInt(up.substring(prefix.length(), up.indexOf('"',
                        prefix.length())))));
                client.awaitStderr("[INFO] rtunnel.client.");
                assertEquals(ExitCodes.OK, client.stop(), client.stderr());
            }
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    @Test
    void thePassphraseFromTheEnvironmentNeverReachesTheLogs() throws Exception {
        KeyFixtures keys = new KeyFixtures();
        try (RunningProgram client = RunningProgram.start(ENV, Path.of(""), "RTUNNEL_KEY_PASSPHRASE=wrong horse",
                RunningProgram.launcher("rtunnel_client").toString(), "-c", "127.0.0.1:9", "-f", "127.0.0.1:0",
                "-t", "127.0.0.1:9", "-k", keys.file("ed25519-encrypted").toString(), "-l", "debug")) {
            assertEquals(ExitCodes.USAGE, client.awaitExit(), client.stderr());

            assertTrue(client.stderr().contains("wrong passphrase"), client.stderr());
            assertFalse(client.stderr().contains("wrong horse"), client.stderr());
        }
    }

    private static String[] concat(String first, String second, String... more) {
        String[] all = new String[more.length + 2];
        all[0] = first;
        all[1] = second;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }

    private static int port(String line, String prefix) {
        assertTrue(line.startsWith(prefix), line);
        return Integer.parseInt(line.substring(prefix.length()));
    }

    private static String visit(int port) throws IOException {
        try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), port)) {
            visitor.setSoTimeout((int) RunningProgram.DEADLINE.toMillis());
            return new BufferedReader(new InputStreamReader(visitor.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }
}
