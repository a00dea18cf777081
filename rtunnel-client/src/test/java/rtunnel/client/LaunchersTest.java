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

    /** The control port and host key of the session docs/scripting.md shows. */
    private static final String GUIDE_PORT = "37041";
    private static final String GUIDE_KEY = "SHA256:gjEZHGBy1vC0iAefQUv4Bcwyvxr5JHnW5w+ByAzPfgg";
    private static final String GUIDE_PUBLIC_PORT = "36423";
    /** What the server says on stderr, before its first event, when it runs without -a. */
    private static final String OPEN_SERVER_WARNING =
            "rtunnel_server: warning: no -a/--authorized-keys: any client may connect and open ports";
    private static final String GUIDE_CLIENT_PORT = "52814";
    /** The backoff delay is random; the guide shows one. */
    private static final String GUIDE_DELAY_MILLIS = "541";

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
                assertTrue(said[0].matches("rtunnel_client: server 127\\.0\\.0\\.1:\\d+ host key SHA256:[A-Za-z0-9+/]{43}"),
                        said[0]);
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
    void theGuidesJsonSessionPrintsTheEventsItShows() throws Exception {
        String serverExample = "$ rtunnel_server --json -c 127.0.0.1:0";
        try (RunningProgram server = RunningProgram.start("rtunnel_server",
                ExampleCommand.parse(serverExample).argArray())) {
            String listening = server.awaitLine();
            Matcher bound = Pattern.compile("\\{\"event\":\"listening\",\"address\":\"127\\.0\\.0\\.1:(\\d+)\","
                    + "\"hostKey\":\"(SHA256:[A-Za-z0-9+/]{43})\"}").matcher(listening);
            assertTrue(bound.matches(), listening);
            GuideSession guide = new GuideSession(bound.group(1), bound.group(2));
            String clientExample = "$ rtunnel_client --json -c 127.0.0.1:" + GUIDE_PORT + " -f 127.0.0.1:0 -t 3000";
            String[] clientArgs = ExampleCommand.parse(clientExample.replace(GUIDE_PORT, guide.controlPort))
                    .argArray();

            // First client: connects, then stops; the server reports it coming and going.
            try (RunningProgram client = RunningProgram.start("rtunnel_client", clientArgs)) {
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

                DocFiles.assertScriptingShows(serverExample + "\n" + OPEN_SERVER_WARNING + "\n"
                        + guide.shown(listening) + "\n");
                DocFiles.assertScriptingShows(guide.shown(connected) + "\n" + guide.shown(serverUp) + "\n");
                DocFiles.assertScriptingShows(clientExample + "\n" + guide.shown(identified) + "\n"
                        + guide.shown(up) + "\n");
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
                        + guide.shown(waiting.group(1) + GUIDE_DELAY_MILLIS + waiting.group(3)) + "\n");
            }
        }
    }

    /** This run's ports and host key, and the ones docs/scripting.md shows in their place. */
    private static final class GuideSession {

        final String controlPort;
        final String hostKey;
        String publicPort;
        String clientPort;

        GuideSession(String controlPort, String hostKey) {
            this.controlPort = controlPort;
            this.hostKey = hostKey;
        }

        /** {@code line} as the guide shows it. Ports are replaced only where a port stands: after a colon. */
        String shown(String line) {
            String shown = line.replace(hostKey, GUIDE_KEY).replace(":" + controlPort + "\"", ":" + GUIDE_PORT + "\"")
                    .replace(":" + controlPort + " ", ":" + GUIDE_PORT + " ");
            if (publicPort != null) {
                shown = shown.replace(":" + publicPort + "\"", ":" + GUIDE_PUBLIC_PORT + "\"")
                        .replace("\"port\":" + publicPort + ",", "\"port\":" + GUIDE_PUBLIC_PORT + ",");
            }
            if (clientPort != null) {
                shown = shown.replace(":" + clientPort + "\"", ":" + GUIDE_CLIENT_PORT + "\"");
            }
            return shown;
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

    /** A target service on 127.0.0.1:0 that answers "hello\n" to every connection. */
    private static final class HelloTarget implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread acceptor = new Thread(this::answer, "hello-target-" + listener.getLocalPort());

        HelloTarget() throws IOException {
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void answer() {
            while (!listener.isClosed()) {
                try (Socket visitor = listener.accept(); OutputStream out = visitor.getOutputStream()) {
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // close() ended accept(), or a visitor left early: the loop ends or moves on.
                }
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            try {
                acceptor.join(RunningProgram.DEADLINE.toMillis());
            } catch (InterruptedException e) {
                // JUnit's timeout interrupted the test: the acceptor ends with its closed socket anyway.
                Thread.currentThread().interrupt();
            }
        }
    }
}
