package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.relay.SocketThreads;
import rtunnel.server.TunnelServer;
import rtunnel.testing.EchoTarget;

/** What the server reports (its --json events) as clients and their tunnels come and go. */
@Timeout(60)
class ServerEventsTest {

    private static TunnelServer server(RecordedServerEvents events) throws Exception {
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
        RecordedServerEvents events = new RecordedServerEvents();
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
        RecordedServerEvents events = new RecordedServerEvents();
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
