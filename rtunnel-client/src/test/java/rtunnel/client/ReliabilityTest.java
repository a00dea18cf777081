package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.relay.SocketThreads;
import rtunnel.server.ServerEvents;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.FaultyRelay;

/** The tunnel heals itself: dead links, resets, restarts and half-open sessions. Timeouts are small on purpose. */
@Timeout(120)
class ReliabilityTest {

    private static final Duration HEAL = Duration.ofSeconds(30);

    /** A client that reconnects forever, with a 1 s timeout, whose tunnel-up events land in a queue. */
    private static final class Client implements AutoCloseable {
        final TunnelClient client;
        final BlockingQueue<HostPort> up = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> run;

        Client(int controlPort, int targetPort) {
            ClientSettings settings = new ClientSettings(new HostPort("127.0.0.1", controlPort),
                    RunningTunnel.specs(targetPort), Duration.ofSeconds(1));
            client = new TunnelClient(settings, (spec, where) -> up.add(where));
            run = ClientRun.inBackground(client);
        }

        HostPort nextUp() throws InterruptedException {
            HostPort where = up.poll(HEAL.toSeconds(), TimeUnit.SECONDS);
            if (where == null) {
                throw new AssertionError("the tunnel did not come (back) up within " + HEAL + ": " + run);
            }
            return where;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static TunnelServer server(Duration keepAlive) throws IOException {
        return RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL).withKeepAlive(keepAlive));
    }

    @Test
    void aBlackholedLinkIsNoticedAndTheClientGetsItsPortBack() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(Duration.ofMillis(200));
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                Client client = new Client(relay.port(), target.port())) {
            HostPort first = client.nextUp();
            assertEchoes(first);
            relay.mode(FaultyRelay.Mode.BLACKHOLE);
            Await.until("the server releases the silent client's port", HEAL, () -> refuses(first));
            relay.mode(FaultyRelay.Mode.PASS);
            HostPort again = client.nextUp();
            assertEquals(first.port(), again.port(), "the same public port after reconnecting");
            assertEchoes(again);
            assertFalse(client.run.isDone(), "the client is still running");
        }
    }

    /**
     * A tunnel on any port (-f 0) asks for the port it had when it reconnects; when another client took that
     * port meanwhile, it asks for any free port instead of giving up.
     */
    @Test
    void aTunnelOnAnyPortWhosePortWasTakenMeanwhileComesBackOnAnother() throws Exception {
        BlockingQueue<Integer> released = new LinkedBlockingQueue<>();
        ServerEvents events = new ServerEvents() {
            @Override
            public void tunnelDown(int port, String client, String reason) {
                released.add(port);
            }
        };
        try (EchoTarget target = new EchoTarget();
                TunnelServer server = new TunnelServer(RunningTunnel.openServer(PortRange.ALL)
                        .withKeepAlive(Duration.ofMillis(200)), new SocketThreads(), events);
                FaultyRelay relay = new FaultyRelay(startedControlPort(server));
                Client client = new Client(relay.port(), target.port())) {
            HostPort first = client.nextUp();
            relay.mode(FaultyRelay.Mode.BLACKHOLE);
            assertEquals(first.port(), released.poll(HEAL.toSeconds(), TimeUnit.SECONDS));
            try (RunningTunnel other = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                    List.of(new TunnelSpec(first, new HostPort("127.0.0.1", target.port())))))) {
                assertEquals(first.port(), other.nextBound().port(), "the other client holds the port now");
                relay.mode(FaultyRelay.Mode.PASS);

                HostPort again = client.nextUp();

                assertTrue(again.port() != first.port(), "another port: " + again);
                assertEchoes(again);
                assertFalse(client.run.isDone(), "the client is still running");
            }
        }
    }

    private static int startedControlPort(TunnelServer server) throws IOException {
        server.start();
        return server.controlAddress().getPort();
    }

    @Test
    void aResetLinkIsNoticedAtOnceAndHealed() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(Duration.ofSeconds(2));
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                Client client = new Client(relay.port(), target.port())) {
            HostPort first = client.nextUp();
            relay.resetAll();
            HostPort again = client.nextUp();
            assertEquals(first.port(), again.port());
            assertEchoes(again);
            assertEquals(2, relay.connections(), "one reconnect was enough");
        }
    }

    @Test
    void aHalfOpenSessionIsTakenOverByTheSameClient() throws Exception {
        // The server's keep-alive is long, so it still believes in the old session when the client returns.
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(Duration.ofSeconds(60));
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                Client client = new Client(relay.port(), target.port())) {
            HostPort first = client.nextUp();
            relay.blackholeExisting();
            HostPort again = client.nextUp();
            assertEquals(first.port(), again.port(), "the port was taken over from the half-open session");
            assertEchoes(again);
            Await.until("the old session is closed", HEAL, () -> server.clients() == 1);
        }
    }

    @Test
    void theClientComesBackAfterTheServerRestarts() throws Exception {
        try (EchoTarget target = new EchoTarget()) {
            TunnelServer first = server(Duration.ofSeconds(2));
            int controlPort = first.controlAddress().getPort();
            try (Client client = new Client(controlPort, target.port())) {
                HostPort before = client.nextUp();
                first.close();
                ServerSettings samePort = RunningTunnel.openServer(PortRange.ALL);
                samePort = new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort),
                        samePort.ports(), samePort.keepAlive(), null, samePort.hostKey(), samePort.limits());
                try (TunnelServer second = RunningTunnel.startServer(samePort)) {
                    HostPort after = client.nextUp();
                    assertEquals(before.port(), after.port());
                    assertEchoes(after);
                }
            }
        }
    }

    @Test
    void visitorsAreClosedWhileTheTargetIsDownAndServedWhenItReturns() throws Exception {
        EchoTarget target = new EchoTarget();
        int targetPort = target.port();
        try (RunningTunnel tunnel = RunningTunnel.start(targetPort)) {
            HostPort where = tunnel.nextBound();
            assertEchoes(where);
            target.close();
            // The port stays reserved while the target is down, bound by a socket that does not listen: a
            // connection to it is refused, and no other listener (or the kernel's choice of an ephemeral port for
            // the client's own connection, which would then connect to itself) can take it meanwhile.
            try (Socket reserved = new Socket()) {
                reserved.setReuseAddress(true);
                // Until the target's last connection has closed on both sides, the port cannot be bound.
                Await.until("the target's port free to reserve", HEAL, () -> bound(reserved, targetPort));
                try (Socket visitor = RunningTunnel.visit(where)) {
                    assertClosedPromptly(visitor);
                }
            }
            try (EchoTarget back = new EchoTarget(targetPort)) {
                assertEchoes(where);
            }
        }
    }

    @Test
    void clientShutdownClosesItsPortsAtOnceButLetsOpenStreamsFinish() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port());
                Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
            HostPort where = new HostPort("127.0.0.1", visitor.getPort());
            visitor.getOutputStream().write(1);
            assertEquals(1, visitor.getInputStream().read());
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> tunnel.client.shutdown(HEAL));
            Await.until("the public port closes at once", HEAL, () -> refuses(where));
            visitor.getOutputStream().write(2);
            assertEquals(2, visitor.getInputStream().read(), "the open stream still works while draining");
            visitor.shutdownOutput();
            assertEquals(-1, visitor.getInputStream().read());
            stopping.get(HEAL.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void serverShutdownDrainsOpenStreamsThenEnds() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port());
                Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
            HostPort where = new HostPort("127.0.0.1", visitor.getPort());
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> tunnel.server.shutdown(HEAL));
            Await.until("no new visitors", HEAL, () -> refuses(where));
            visitor.getOutputStream().write(3);
            assertEquals(3, visitor.getInputStream().read(), "the open stream still works while draining");
            assertFalse(stopping.isDone(), "the server waits for the open stream");
            visitor.shutdownOutput();
            assertEquals(-1, visitor.getInputStream().read());
            stopping.get(HEAL.toSeconds(), TimeUnit.SECONDS);
        }
    }

    static void assertEchoes(HostPort where) throws IOException {
        try (Socket visitor = RunningTunnel.visit(where)) {
            visitor.getOutputStream().write("abc".getBytes());
            assertEquals("abc", new String(visitor.getInputStream().readNBytes(3)));
        }
    }

    static void assertClosedPromptly(Socket visitor) throws IOException {
        InputStream in = visitor.getInputStream();
        try {
            assertEquals(-1, in.read());
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
    }

    /** Binds {@code socket} to {@code port} on loopback; false while the port is still in use. */
    private static boolean bound(Socket socket, int port) {
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    static boolean refuses(HostPort where) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), where.port())) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
