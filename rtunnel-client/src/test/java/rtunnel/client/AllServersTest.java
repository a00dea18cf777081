package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.cli.ExitCodes;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.ServerLimits;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.KeyFixtures;

/** --all-servers: one client holds every tunnel on every server at once, each server on its own. */
@Timeout(90)
class AllServersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** What the client reported for each server, by its control port. */
    private static final class ServerEvents {
        final Map<Integer, BlockingQueue<String>> byServer = new ConcurrentHashMap<>();

        ClientEvents of(HostPort server) {
            BlockingQueue<String> lines = byServer.computeIfAbsent(server.port(), port -> new LinkedBlockingQueue<>());
            return new ClientEvents() {
                @Override
                public void tunnelUp(TunnelSpec spec, HostPort remote) {
                    lines.add("up " + remote.port());
                }

                @Override
                public void tunnelDown(TunnelSpec spec, HostPort remote, String reason) {
                    lines.add("down " + remote.port());
                }

                @Override
                public void gaveUpOnServer(HostPort given, String reason, int exitCode) {
                    lines.add("gave up (" + exitCode + "): " + reason);
                }
            };
        }

        String next(TunnelServer server) throws InterruptedException {
            BlockingQueue<String> lines = byServer.get(server.controlAddress().getPort());
            String line = lines == null ? null : lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(line, "no event from server " + server.controlAddress() + " within " + WAIT);
            return line;
        }

        int up(TunnelServer server) throws InterruptedException {
            String line = next(server);
            assertTrue(line.startsWith("up "), line);
            return Integer.parseInt(line.substring("up ".length()));
        }
    }

    /** A client on every one of {@code servers}, running in the background. */
    private static final class Client implements AutoCloseable {
        final AllServersClient client;
        final CompletableFuture<Void> run;

        Client(ClientSettings settings, ServerEvents events) {
            client = new AllServersClient(settings, events::of);
            run = ClientRun.inBackground(client);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static ClientSettings settings(int targetPort, TunnelServer... servers) {
        List<HostPort> addresses = java.util.Arrays.stream(servers)
                .map(server -> new HostPort("127.0.0.1", server.controlAddress().getPort())).toList();
        return new ClientSettings(addresses.get(0), RunningTunnel.specs(targetPort), Duration.ofSeconds(5))
                .withServers(addresses).withMaxBackoff(Duration.ofSeconds(1));
    }

    private static TunnelServer server() throws IOException {
        return RunningTunnel.startServer(PortRange.ALL);
    }

    /** A server that admits only the ed25519 fixture key: a client without a key is refused for good. */
    private static TunnelServer keyedServer(KeyFixtures keys) throws IOException {
        Path authorized = Files.writeString(keys.scratch("authorized_keys"), keys.publicLine("ed25519") + "\n");
        return RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorized));
    }

    @Test
    void everyTunnelIsUpOnEveryServerEachOnThePortItPicked() throws Exception {
        ServerEvents events = new ServerEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer a = server(); TunnelServer b = server();
                Client client = new Client(settings(target.port(), a, b), events)) {
            int onA = events.up(a);
            int onB = events.up(b);

            assertFalse(onA == onB, "each server binds a port of its own");
            ReliabilityTest.assertEchoes(new HostPort("127.0.0.1", onA));
            ReliabilityTest.assertEchoes(new HostPort("127.0.0.1", onB));
        }
    }

    @Test
    void losingOneServerTouchesNoStreamOnTheOtherAndItComesBackByItself() throws Exception {
        ServerEvents events = new ServerEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer b = server()) {
            TunnelServer a = server();
            InetSocketAddress aControl = a.controlAddress();
            try (Client client = new Client(settings(target.port(), a, b), events)) {
                events.up(a);
                HostPort onB = new HostPort("127.0.0.1", events.up(b));
                try (Socket visitor = RunningTunnel.visit(onB)) {
                    visitor.getOutputStream().write(1);
                    assertEquals(1, visitor.getInputStream().read());

                    a.close();
                    assertTrue(events.next(a).startsWith("down "));
                    visitor.getOutputStream().write(2);
                    assertEquals(2, visitor.getInputStream().read(), "the stream on the other server goes on");
                    ReliabilityTest.assertEchoes(onB);

                    a = RunningTunnel.startServer(new ServerSettings(aControl, PortRange.ALL, Duration.ofSeconds(2),
                            null, Files.createTempDirectory("rtunnel-host").resolve("host_key"), ServerLimits.DEFAULTS));
                    int again = events.up(a);
                    ReliabilityTest.assertEchoes(new HostPort("127.0.0.1", again));
                    visitor.getOutputStream().write(3);
                    assertEquals(3, visitor.getInputStream().read());
                }
            } finally {
                a.close();
            }
        }
    }

    @Test
    void aStopDrainsOnEveryServerAtOnce() throws Exception {
        ServerEvents events = new ServerEvents();
        Duration drain = Duration.ofSeconds(5);
        try (EchoTarget target = new EchoTarget(); TunnelServer a = server(); TunnelServer b = server();
                Client client = new Client(settings(target.port(), a, b), events)) {
            HostPort onA = new HostPort("127.0.0.1", events.up(a));
            HostPort onB = new HostPort("127.0.0.1", events.up(b));
            try (Socket visitorA = RunningTunnel.visit(onA); Socket visitorB = RunningTunnel.visit(onB)) {
                ReliabilityTest.assertEchoes(onA);
                visitorA.getOutputStream().write(1);
                assertEquals(1, visitorA.getInputStream().read());
                visitorB.getOutputStream().write(1);
                assertEquals(1, visitorB.getInputStream().read());
                long started = System.nanoTime();
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> client.client.shutdown(drain));

                Await.until("both public ports to close", WAIT,
                        () -> ReliabilityTest.refuses(onA) && ReliabilityTest.refuses(onB));
                for (Socket visitor : List.of(visitorA, visitorB)) {
                    visitor.getOutputStream().write(2);
                    assertEquals(2, visitor.getInputStream().read(), "open streams go on while draining");
                    visitor.shutdownOutput();
                    assertEquals(-1, visitor.getInputStream().read());
                }
                stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(System.nanoTime() - started < drain.toNanos(), "ended when the streams did, on both");
                client.run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aServerThatRefusesIsReportedAndTheOthersKeepTheTunnels() throws Exception {
        ServerEvents events = new ServerEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer keyed = keyedServer(new KeyFixtures());
                TunnelServer open = server(); Client client = new Client(settings(target.port(), keyed, open), events)) {
            assertEquals("gave up (" + ExitCodes.AUTH_REFUSED + "): server refused the connection: this server "
                    + "requires a key (-k)", events.next(keyed));
            ReliabilityTest.assertEchoes(new HostPort("127.0.0.1", events.up(open)));
            assertFalse(client.run.isDone(), "the client stays on the server that admits it");
        }
    }

    @Test
    void theClientEndsWhenEveryServerRefusedWithTheLastRefusal() throws Exception {
        KeyFixtures keys = new KeyFixtures();
        ServerEvents events = new ServerEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer a = keyedServer(keys); TunnelServer b = keyedServer(keys);
                Client client = new Client(settings(target.port(), a, b), events)) {
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> client.run.get(WAIT.toSeconds(), TimeUnit.SECONDS));

            RefusedException refused = (RefusedException) ended.getCause();
            assertEquals(Refusal.AUTHENTICATION, refused.refusal());
            long reported = events.byServer.values().stream().mapToLong(BlockingQueue::size).sum();
            assertEquals(1, reported, "the first refusal is reported, the last is what the client ends with");
        }
    }

    @Test
    void metricsCountEachServerUnderItsOwnLabel() throws Exception {
        ServerEvents events = new ServerEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer a = server(); TunnelServer b = server();
                Client client = new Client(settings(target.port(), a, b), events)) {
            int onA = events.up(a);
            events.up(b);
            ReliabilityTest.assertEchoes(new HostPort("127.0.0.1", onA));
            String server = "127.0.0.1:" + a.controlAddress().getPort();
            Await.until("the stream counted", WAIT, () -> client.client.metrics().render().contains(
                    "rtunnel_client_streams_total{server=\"" + server + "\",port=\"" + onA + "\"} 1\n"));
            String text = client.client.metrics().render();
            assertTrue(text.contains("rtunnel_client_reconnects_total{server=\"" + server + "\"} 0\n"), text);
            assertTrue(text.contains("rtunnel_client_reconnects_total{server=\"127.0.0.1:" + b.controlAddress().getPort()
                    + "\"} 0\n"), text);
        }
    }

    /** The command line: one stderr line for the first refusal, the last one's line and exit status. */
    @Test
    void theCommandExitsWithTheRefusalsStatusOnceEveryServerRefused() throws Exception {
        KeyFixtures keys = new KeyFixtures();
        try (TunnelServer a = keyedServer(keys); TunnelServer b = keyedServer(keys)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String first = "127.0.0.1:" + a.controlAddress().getPort();
            String second = "127.0.0.1:" + b.controlAddress().getPort();

            int status = ClientMain.run(new PrintWriter(out), new PrintWriter(err), "--all-servers", "-c", first,
                    "-c", second, "-f", "127.0.0.1:0", "-t", "3000", "-q", "--known-hosts",
                    keys.scratch("known_hosts").toString());

            assertEquals(ExitCodes.AUTH_REFUSED, status, err.toString());
            List<String> lines = err.toString().lines().toList();
            assertEquals(2, lines.size(), err.toString());
            assertTrue(lines.get(0).matches("rtunnel_client: giving up on server 127\\.0\\.0\\.1:\\d+: server refused "
                    + "the connection: this server requires a key \\(-k\\); the other servers keep the tunnels"), lines.get(0));
            assertEquals("rtunnel_client: server refused the connection: this server requires a key (-k)", lines.get(1));
        }
    }
}
