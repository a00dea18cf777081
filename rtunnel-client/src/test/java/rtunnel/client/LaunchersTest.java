package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;

/** {@code bin/rtunnel_server} and {@code bin/rtunnel_client} as separate processes, end to end. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LaunchersTest {

    private static final String LISTENING = "rtunnel_server: listening for clients on 127.0.0.1:";

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
    void aPeerThatIsNotAnRtunnelServerExitsWithSixAndOneLine() throws Exception {
        try (ServerSocket sshd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RunningProgram client = RunningProgram.start("rtunnel_client",
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
