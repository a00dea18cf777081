package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.relay.SocketThreads;
import rtunnel.server.ServerEvents;
import rtunnel.server.TunnelServer;
import rtunnel.testing.EchoTarget;

/** What the server reports (its --json events) as clients and their tunnels come and go. */
@Timeout(60)
class ServerEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The server's events, one line each, in order. */
    private static final class RecordedEvents implements ServerEvents {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public void listening(InetSocketAddress control, String hostKeyFingerprint) {
            lines.add("listening " + control.getPort());
        }

        @Override
        public void clientConnected(String client, String keyFingerprint) {
            lines.add("connected " + client + " key " + keyFingerprint);
        }

        @Override
        public void tunnelUp(HostPort bound, String client) {
            lines.add("up " + bound.port() + " for " + client);
        }

        @Override
        public void tunnelDown(int port, String client, String reason) {
            lines.add("down " + port + " for " + client + ": " + reason);
        }

        @Override
        public void clientDisconnected(String client, String reason) {
            lines.add("disconnected " + client + ": " + reason);
        }

        String next() throws InterruptedException {
            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no event within " + WAIT);
            }
            return line;
        }
    }

    private static TunnelServer server(RecordedEvents events) throws Exception {
        TunnelServer server = new TunnelServer(RunningTunnel.openServer(PortRange.ALL), new SocketThreads(), events);
        server.start();
        return server;
    }

    /** The client's address as the server names it, from the "connected" event. */
    private static String client(String connected) {
        assertTrue(connected.matches("connected 127\\.0\\.0\\.1:\\d+ key null"), connected);
        return connected.substring("connected ".length(), connected.indexOf(" key "));
    }

    @Test
    void aClientThatStopsIsReportedWithItsTunnels() throws Exception {
        RecordedEvents events = new RecordedEvents();
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(events)) {
            assertEquals("listening " + server.controlAddress().getPort(), events.next());
            RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                    RunningTunnel.specs(target.port())));
            int port = tunnel.nextBound().port();
            String client = client(events.next());
            assertEquals("up " + port + " for " + client, events.next());

            tunnel.client.shutdown(Duration.ZERO);

            assertEquals("down " + port + " for " + client + ": client going away", events.next());
            String disconnected = events.next();
            assertTrue(disconnected.startsWith("disconnected " + client + ": "), disconnected);
            tunnel.close();
        }
    }

    @Test
    void aServerStoppingReportsEveryTunnelDown() throws Exception {
        RecordedEvents events = new RecordedEvents();
        try (EchoTarget target = new EchoTarget()) {
            TunnelServer server = server(events);
            events.next();
            try (RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                    RunningTunnel.specs(target.port(), target.port())))) {
                String client = client(events.next());
                events.next();
                events.next();

                server.close();

                String first = events.next();
                String second = events.next();
                assertTrue(first.matches("down \\d+ for " + client + ": server stopping"), first);
                assertTrue(second.matches("down \\d+ for " + client + ": server stopping"), second);
                assertEquals("disconnected " + client + ": server stopping", events.next());
            }
        }
    }
}
