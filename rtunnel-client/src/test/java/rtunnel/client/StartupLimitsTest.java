package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.ScriptedClient;
import rtunnel.policy.PortRange;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.RefusedException;
import rtunnel.server.MaxStartups;
import rtunnel.server.ServerLimits;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/**
 * Connections that hold a handshake open without getting anywhere cannot keep a client out, from one
 * address or from many, with the default limits: the server drops them first. The attackers bind to
 * 127.0.0.2 and up; the client comes from 127.0.0.1.
 */
@Timeout(60)
class StartupLimitsTest {

    /** What the issue asks: a client gets its tunnel within 3 s, however the silent connections come. */
    private static final Duration CLIENT_GETS_IN = Duration.ofSeconds(3);

    /** Loads and compiles what a client and a server need, so the 3 s measure the flood, not a cold JVM. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ServerLimits.DEFAULTS)) {
            assertClientGetsIn(server, target);
        }
    }

    @Test
    void silentConnectionsFromOneAddressNeverDelayAClientFromAnother() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ServerLimits.DEFAULTS);
                SilentFlood flood = SilentFlood.start(server.controlAddress(), 2, 1, 200, 2_000)) {
            Await.until("the server has dropped the address's surplus", RunningTunnel.WAIT,
                    () -> metric(server, dropped("per_source")) >= 180);

            assertClientGetsIn(server, target);

            assertTrue(metric(server, "rtunnel_server_handshakes") <= ServerLimits.DEFAULT_PER_SOURCE_MAX_STARTUPS,
                    "the address holds at most its 20 handshakes");
            assertEquals(0, metric(server, dropped("max_startups")) + metric(server, dropped("random_early_drop")),
                    "one address alone brings on no other drop");
        }
    }

    @Test
    void fiveHundredSilentConnectionsFromAHundredAddressesDoNotKeepAClientOut() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ServerLimits.DEFAULTS);
                SilentFlood flood = SilentFlood.start(server.controlAddress(), 2, 100, 5, 50_000)) {
            // The client must not queue behind the first 500 in the backlog: the server has taken them all in.
            Await.until("the server has accepted the 500, dropping some", RunningTunnel.WAIT,
                    () -> server.clients() + flood.dropped() >= 500 && metric(server, dropped("random_early_drop")) > 0);

            assertClientGetsIn(server, target);

            assertTrue(flood.dropped() > 0, "the server dropped silent connections, and the flood renewed them");
            assertTrue(metric(server, "rtunnel_server_handshakes") <= ServerLimits.DEFAULT_MAX_STARTUPS.full());
            assertEquals(0, metric(server, dropped("per_source")), "five from each address is within the limit");
        }
    }

    @Test
    void aConnectionThatStallsAfterClientHelloLosesToANewcomer() throws Exception {
        ServerLimits oneAtATime = ServerLimits.DEFAULTS.withStartups(MaxStartups.parse("1"), 20);
        try (TunnelServer server = server(oneAtATime); Socket stalled = from("127.0.0.2", server)) {
            ScriptedClient.hello(ScriptedClient.exchangeOver(stalled), new SecureRandom());
            List<String> refusals = new CopyOnWriteArrayList<>();

            Await.until("a newcomer gets in", RunningTunnel.WAIT, () -> newcomerGetsIn(server, refusals));

            assertEquals(-1, stalled.getInputStream().read(), "the stalled handshake was closed");
            // Newcomers that came within a second of the CLIENT_HELLO lost to it, as they should.
            assertEquals(Collections.nCopies(refusals.size(), "too many handshakes under way (1)"), refusals);
            assertEquals(refusals.size() + 1, metric(server, dropped("max_startups")), "the refusals and the stalled one");
            assertEquals(refusals.size(), metric(server, "rtunnel_server_refusals_total{reason=\"limit\"}"));
        }
    }

    private static void assertClientGetsIn(TunnelServer server, EchoTarget target) throws Exception {
        long start = System.nanoTime();
        try (RunningTunnel client = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                RunningTunnel.specs(target.port())).withMaxRetries(ClientSettings.FOREVER))) {
            HostPort where = client.nextBound();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(CLIENT_GETS_IN) < 0, "the client got its tunnel after " + took.toMillis() + " ms");
            ReliabilityTest.assertEchoes(where);
        }
    }

    /** One newcomer's handshake from 127.0.0.1, without a key; false, its reason kept, when it was turned away. */
    private static boolean newcomerGetsIn(TunnelServer server, List<String> refusals) {
        try (Socket socket = from("127.0.0.1", server)) {
            Frame answer = ScriptedClient.authenticate(ScriptedClient.exchangeOver(socket), new byte[0], new byte[0],
                    new SecureRandom());
            return answer != null && answer.type() == FrameType.AUTH_OK;
        } catch (RefusedException e) {
            refusals.add(e.reason());
            return false;
        } catch (IOException e) {
            throw new AssertionError("a newcomer failed otherwise than by a refusal", e);
        }
    }

    private static Socket from(String source, TunnelServer server) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(server.controlAddress(), (int) RunningTunnel.WAIT.toMillis());
        socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return socket;
    }

    private static TunnelServer server(ServerLimits limits) throws IOException {
        return RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL).withLimits(limits));
    }

    private static String dropped(String reason) {
        return "rtunnel_server_handshakes_dropped_total{reason=\"" + reason + "\"}";
    }

    /** The value of one series of the server's metrics. */
    static long metric(TunnelServer server, String series) {
        return server.metrics().render().lines().filter(line -> line.startsWith(series + " "))
                .mapToLong(line -> Long.parseLong(line.substring(series.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series));
    }
}
