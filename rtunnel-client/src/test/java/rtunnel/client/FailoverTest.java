package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.server.TunnelServer;
import rtunnel.testing.EchoTarget;

/** A client given several servers (-c, -c) goes through them in turn when one fails. */
@Timeout(60)
class FailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** What a client reported, one line per event, in order. */
    private static final class RecordedEvents implements ClientEvents {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public void tunnelUp(TunnelSpec spec, HostPort remote) {
            lines.add("up " + remote.port());
        }

        @Override
        public void tunnelDown(TunnelSpec spec, HostPort remote, String reason) {
            lines.add("down " + remote.port() + ": " + reason);
        }

        @Override
        public void reconnecting(int attempt, Duration delay, String reason, HostPort server) {
            lines.add("reconnecting " + attempt + " to " + server.port() + (delay.isZero() ? " at once" : " later"));
        }

        String next() throws InterruptedException {
            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no event within " + WAIT);
            }
            return line;
        }
    }

    /** A client running in the background, reporting to {@code events}. */
    private static final class Client implements AutoCloseable {
        final TunnelClient client;
        final CompletableFuture<Void> run;

        Client(ClientSettings settings, ClientEvents events) {
            client = new TunnelClient(settings, events);
            run = ClientRun.inBackground(client);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static ClientSettings settings(int targetPort, int... controlPorts) {
        List<HostPort> servers = java.util.Arrays.stream(controlPorts)
                .mapToObj(port -> new HostPort("127.0.0.1", port)).toList();
        return new ClientSettings(servers.get(0), RunningTunnel.specs(targetPort), Duration.ofSeconds(5))
                .withServers(servers);
    }

    private static TunnelServer server() throws IOException {
        return RunningTunnel.startServer(PortRange.ALL);
    }

    /** A port of 127.0.0.1 where nothing listens: connecting to it is refused at once. */
    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String echo(int publicPort, String text) throws IOException {
        try (Socket visitor = RunningTunnel.visit(new HostPort("127.0.0.1", publicPort))) {
            visitor.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            visitor.shutdownOutput();
            return new String(visitor.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int upPort(String event) {
        assertTrue(event.startsWith("up "), event);
        return Integer.parseInt(event.substring("up ".length()));
    }

    @Test
    void aServerThatCannotBeReachedIsSkippedAtOnce() throws Exception {
        int dead = deadPort();
        RecordedEvents events = new RecordedEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer standby = server();
                Client client = new Client(settings(target.port(), dead, standby.controlAddress().getPort()),
                        events)) {
            assertEquals("reconnecting 1 to " + standby.controlAddress().getPort() + " at once", events.next());
            int publicPort = upPort(events.next());

            assertEquals("through the standby", echo(publicPort, "through the standby"));
        }
    }

    @Test
    void whenItsServerStopsTheClientMovesToTheNextAtOnceAndReportsItsTunnelDown() throws Exception {
        RecordedEvents events = new RecordedEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer standby = server()) {
            int standbyPort = standby.controlAddress().getPort();
            TunnelServer first = server();
            try (Client client = new Client(settings(target.port(), first.controlAddress().getPort(), standbyPort),
                    events)) {
                int firstPublic = upPort(events.next());
                assertEquals("on the first", echo(firstPublic, "on the first"));

                first.close();

                String down = events.next();
                assertTrue(down.startsWith("down " + firstPublic + ": server 127.0.0.1:"), down);
                assertEquals("reconnecting 1 to " + standbyPort + " at once", events.next());
                int standbyPublic = upPort(events.next());
                assertEquals("on the standby", echo(standbyPublic, "on the standby"));

                client.close();
                assertEquals("down " + standbyPublic + ": client stopping", events.next());
                client.run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                first.close();
            }
        }
    }

    /**
     * Like ssh, the client tries every address its server's name has. The launcher's JVM reads a hosts file
     * of the test's own ({@code jdk.net.hosts.file}), where the name's first address has nothing listening.
     */
    @Test
    void aNameWithSeveralAddressesIsTriedAddressByAddress(@TempDir Path directory) throws Exception {
        Path hosts = Files.writeString(directory.resolve("hosts"),
                "127.0.0.2 tunnel.test\n127.0.0.1 tunnel.test\n");
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server();
                RunningProgram client = RunningProgram.start(Path.of("/usr/bin/env"), Path.of(""),
                        "RTUNNEL_JAVA_OPTS=-Djdk.net.hosts.file=" + hosts,
                        RunningProgram.launcher("rtunnel_client").toString(), "-l", "debug",
                        "-c", "tunnel.test:" + server.controlAddress().getPort(),
                        "-f", "127.0.0.1:0", "-t", "127.0.0.1:" + target.port())) {
            String up = client.awaitLine("rtunnel_client: tunnel.test:");
            int publicPort = Integer.parseInt(up.replaceFirst("rtunnel_client: tunnel.test:(\\d+) -> .*", "$1"));

            assertEquals("by the second address", echo(publicPort, "by the second address"));
            client.awaitStderr("cannot reach server tunnel.test:" + server.controlAddress().getPort()
                    + " at 127.0.0.2");
            assertEquals(ExitCodes.OK, client.stop(), client.stderr());
        }
    }

    @Test
    void whenEveryServerFailsTheClientWaitsOnlyBetweenRounds() throws Exception {
        int first = deadPort();
        int second = deadPort();
        RecordedEvents events = new RecordedEvents();
        try (EchoTarget target = new EchoTarget();
                Client client = new Client(settings(target.port(), first, second).withMaxRetries(3), events)) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.run.get(WAIT.toSeconds(), TimeUnit.SECONDS));

            assertTrue(failed.getCause() instanceof IOException, failed.toString());
            assertTrue(failed.getCause().getMessage().startsWith("cannot reach server 127.0.0.1:" + second),
                    failed.getCause().getMessage());
            assertEquals(List.of("reconnecting 1 to " + second + " at once", "reconnecting 2 to " + first + " later",
                    "reconnecting 3 to " + second + " at once"), List.copyOf(events.lines));
        }
    }
}
