package rtunnel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.ProtocolException;

/** Peers that send too much, too slowly, nothing, or too many connections cannot hold the health checks. */
@Timeout(60)
class MetricsEndpointHostileTest {

    /** A health check that always says yes, so an answer shows the endpoint was free to give it. */
    private static final HealthCheck HEALTHY = path -> HealthCheck.Answer.healthy("serving");

    private MetricsEndpoint endpoint;
    private final List<Socket> peers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        endpoint = MetricsEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Metrics(),
                HEALTHY);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket peer : peers) {
            peer.close();
        }
        endpoint.close();
    }

    @Test
    void slowPeersFromOneAddressLeaveRoomForTheBalancersCheck() throws IOException {
        for (int i = 0; i < 3 * MetricsEndpoint.MAX_PER_SOURCE; i++) {
            peer("127.0.0.2").getOutputStream().write("GET /heal".getBytes(StandardCharsets.US_ASCII));
        }
        long started = System.nanoTime();
        assertEquals("HTTP/1.1 200 OK", firstLine(exchange(peer("127.0.0.1"), "GET /health HTTP/1.0\r\n\r\n")));
        assertTrue(System.nanoTime() - started < RequestHead.DEADLINE.toNanos(),
                "answered before the slow peers' deadline freed anything");
    }

    @Test
    void connectionsBeyondTheTotalAreClosedAtOnce() throws IOException {
        for (int i = 0; i < MetricsEndpoint.MAX_CONNECTIONS; i++) {
            peer("127.0.0." + (2 + i / MetricsEndpoint.MAX_PER_SOURCE)).getOutputStream().write('G');
        }
        Socket oneTooMany = peer("127.0.0.100");
        long started = System.nanoTime();
        assertEquals(-1, readOrReset(oneTooMany.getInputStream()));
        assertTrue(System.nanoTime() - started < RequestHead.DEADLINE.toNanos(), "closed without waiting");
    }

    @Test
    void aSilentPeerIsClosedAtTheDeadline() throws IOException {
        Socket silent = peer("127.0.0.1");
        long started = System.nanoTime();
        assertEquals(-1, readOrReset(silent.getInputStream()));
        assertTrue(System.nanoTime() - started >= RequestHead.DEADLINE.toNanos() / 2, "not closed too early");
    }

    @Test
    void aTrickledHeadIsCutAtTheDeadlineHoweverSteadyTheBytes() throws IOException {
        Socket trickle = peer("127.0.0.1");
        long started = System.nanoTime();
        byte[] line = ("GET /metrics HTTP/1.1\r\nX-Slow: " + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
        try {
            for (byte b : line) {
                trickle.getOutputStream().write(b);
                LockSupport.parkNanos(50_000_000);
            }
        } catch (SocketException closedByTheServer) {
            // Expected: the server cut the connection while bytes still came.
        }
        long elapsed = System.nanoTime() - started;
        assertTrue(elapsed < RequestHead.DEADLINE.toNanos() * 4, "cut at the deadline, not after all bytes");
        assertEquals(-1, readOrReset(trickle.getInputStream()));
    }

    @Test
    void aHeadOfTheLimitWithoutItsEndIsRefusedWith431() throws IOException {
        String head = "GET /metrics HTTP/1.1\r\nX: " + "a".repeat(RequestHead.MAX_BYTES - 26);
        assertEquals(RequestHead.MAX_BYTES, head.length());
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", firstLine(exchange(peer("127.0.0.1"), head)));
    }

    @Test
    void aMalformedRequestLineIsRefusedWith400() throws IOException {
        assertEquals("HTTP/1.1 400 Bad Request", firstLine(exchange(peer("127.0.0.1"), "HELLO\r\n\r\n")));
    }

    @Test
    void theRequestLineIsReadStrictly() throws ProtocolException {
        assertEquals(new RequestHead("GET", "/health/port/4000"),
                RequestHead.parse("GET /health/port/4000?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"));
        for (String bad : List.of("", "GET /metrics", "GET metrics HTTP/1.1", "GET /metrics HTTP/2", " /metrics HTTP/1.1",
                "GET  /metrics HTTP/1.1")) {
            ProtocolException refused = assertThrows(ProtocolException.class, () -> RequestHead.parse(bad + "\r\n\r\n"));
            assertEquals("malformed request line", refused.getMessage());
        }
    }

    /** A connection to the endpoint from {@code source} (any of 127/8 is loopback), closed after the test. */
    private Socket peer(String source) throws IOException {
        Socket socket = new Socket();
        peers.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(endpoint.address());
        socket.setSoTimeout((int) RequestHead.DEADLINE.multipliedBy(5).toMillis());
        return socket;
    }

    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static String firstLine(String response) {
        return response.lines().findFirst().orElse("");
    }

    /** -1 at the end of the stream; a reset counts as the end too (the server closed with bytes unread). */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
