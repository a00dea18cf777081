package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.HostPort;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/**
 * Hygiene: after thousands of short connections through a tunnel, threads and file descriptors are back
 * where they were. (Sized for CI; the benchmark can run the 100,000-connection version.)
 */
@Timeout(120)
class LeakTest {

    private static final int CONNECTIONS = Integer.getInteger("rtunnel.leakTestConnections", 3000);

    @Test
    void shortConnectionsLeaveNoThreadOrDescriptorBehind() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            HostPort where = tunnel.nextBound();
            ReliabilityTest.assertEchoes(where);
            String serverIdle = "rtunnel_server_streams_open{port=\"" + where.port() + "\"} 0\n";
            String clientIdle = "rtunnel_client_streams_open{port=\"" + where.port() + "\"} 0\n";
            Await.until("the warm-up stream ended on both sides", RunningTunnel.WAIT,
                    () -> tunnel.server.metrics().render().contains(serverIdle)
                            && tunnel.client.metrics().render().contains(clientIdle));
            int threads = Thread.activeCount();
            long descriptors = openDescriptors();
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket visitor = RunningTunnel.visit(where)) {
                    visitor.getOutputStream().write(i);
                    assertEquals(i & 0xFF, visitor.getInputStream().read());
                }
            }
            Await.until("threads back to " + threads, RunningTunnel.WAIT, () -> Thread.activeCount() <= threads);
            Await.until("descriptors back to " + descriptors, RunningTunnel.WAIT,
                    () -> openDescriptors() <= descriptors);
            assertEquals(CONNECTIONS + 1, target.accepted(), "every visitor reached the target");
        }
    }

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
