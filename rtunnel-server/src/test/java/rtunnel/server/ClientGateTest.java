package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.HandshakeProgress.Step;
import rtunnel.metrics.Metrics;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.SessionError;

/** The gate on loopback sockets and a clock the test holds: what it tells a refused client, what it closes, what it counts. */
@Timeout(30)
class ClientGateTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(SECOND);
    private final Metrics metrics = new Metrics();
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket listener;

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    private ClientGate gate(int maxClients, String maxStartups, int perSource) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerLimits limits = new ServerLimits(maxClients, MaxStartups.parse(maxStartups), perSource, 64, 16_384,
                Duration.ofSeconds(10));
        return new ClientGate(limits, metrics, ServerEvents.NONE, new SplittableRandom(1), now::get);
    }

    /** A connection from 127.0.0.{@code host}: the client's end, with the server's end accepted. */
    private Socket[] connect(int host) throws IOException {
        Socket client = new Socket();
        sockets.add(client);
        client.bind(new InetSocketAddress("127.0.0." + host, 0));
        client.connect(listener.getLocalSocketAddress());
        client.setSoTimeout(10_000);
        Socket server = listener.accept();
        sockets.add(server);
        return new Socket[] {client, server};
    }

    @Test
    void aSourceAtItsLimitWithProgressLatelyIsToldSoAndCounted() throws Exception {
        ClientGate gate = gate(1000, "100:30:200", 1);
        Startup first = gate.admit(connect(2)[1], 0);
        first.reached(Step.HELLO);
        Socket[] second = connect(2);

        assertNull(gate.admit(second[1], 1));

        assertEquals(new SessionError(Refusal.LIMIT, "too many handshakes under way from 127.0.0.2 (1)"),
                errorReadBy(second[0]));
        assertEquals(1, count("rtunnel_server_handshakes_dropped_total{reason=\"per_source\"}"));
        assertEquals(1, count("rtunnel_server_refusals_total{reason=\"limit\"}"));
        assertEquals(1, count("rtunnel_server_handshakes"));
        assertNotNull(gate.admit(connect(3)[1], 1), "another address is not held to 127.0.0.2's limit");
    }

    @Test
    void aStalledHandshakeIsDroppedForANewcomerThroughItsDropAction() throws Exception {
        ClientGate gate = gate(1000, "1", 20);
        Startup stalled = gate.admit(connect(2)[1], 0);
        AtomicReference<String> dropped = new AtomicReference<>();
        stalled.whenDropped(dropped::set);
        stalled.reached(Step.HELLO);
        now.addAndGet(SECOND);

        assertNotNull(gate.admit(connect(3)[1], 1));

        assertEquals("handshake dropped: too many handshakes under way (1)", dropped.get());
        assertEquals(1, count("rtunnel_server_handshakes_dropped_total{reason=\"max_startups\"}"));
        assertEquals(0, count("rtunnel_server_refusals_total{reason=\"limit\"}"), "nobody was turned away");
        stalled.reached(Step.AUTH);
        stalled.ended();
        assertEquals(1, count("rtunnel_server_handshakes"), "the dropped one no longer counts, whatever it reports");
    }

    @Test
    void withoutADropActionADroppedHandshakesSocketIsClosed() throws Exception {
        ClientGate gate = gate(1000, "1", 20);
        Socket[] silent = connect(2);
        gate.admit(silent[1], 0);
        now.addAndGet(1);

        gate.admit(connect(3)[1], 1);

        assertTrue(silent[1].isClosed());
        assertEquals(-1, silent[0].getInputStream().read());
    }

    @Test
    void aFullServerDropsAHandshakeToMakeRoomAndOtherwiseSaysItIsFull() throws Exception {
        ClientGate gate = gate(2, "100:30:200", 20);
        Startup authenticated = gate.admit(connect(2)[1], 0);
        authenticated.ended();
        Startup silent = gate.admit(connect(3)[1], 1);
        AtomicReference<String> dropped = new AtomicReference<>();
        silent.whenDropped(dropped::set);
        now.addAndGet(1);

        assertNotNull(gate.admit(connect(4)[1], 2));
        assertEquals("handshake dropped: server is full (2 clients)", dropped.get());

        gate.ended(silent);
        Socket[] turnedAway = connect(5);
        assertNull(gate.admit(turnedAway[1], 2), "the newcomer is as young as the one under way, and loses the tie");
        assertEquals(new SessionError(Refusal.LIMIT, "server is full (2 clients)"), errorReadBy(turnedAway[0]));
        assertEquals(2, count("rtunnel_server_handshakes_dropped_total{reason=\"max_clients\"}"));
    }

    @Test
    void aRandomEarlyDropNamesHowManyAreUnderWayAndWhereDropsBegin() throws Exception {
        ClientGate gate = gate(1000, "1:100:10", 20);
        gate.admit(connect(2)[1], 0);
        Socket[] newcomer = connect(3);

        assertNull(gate.admit(newcomer[1], 1), "at START with RATE 100 the dice always say drop, and it is a tie");
        assertEquals(new SessionError(Refusal.LIMIT, "too many handshakes under way (1, dropping some from 1)"),
                errorReadBy(newcomer[0]));
    }

    private static SessionError errorReadBy(Socket client) throws IOException {
        FrameReader reader = new FrameReader(client.getInputStream());
        reader.readPreamble();
        return SessionError.from(reader.read());
    }

    private long count(String series) {
        return metrics.render().lines().filter(line -> line.startsWith(series + " "))
                .mapToLong(line -> Long.parseLong(line.substring(series.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + metrics.render()));
    }
}
