package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rtunnel.server.VisitorGate;
import rtunnel.testing.Await;

/**
 * Visitors of the HTTP port that never finish their head - silent, trickling, oversized, garbage, in floods -
 * are answered or dropped within the limits, and a real visitor still gets through.
 */
@Timeout(120)
class WebHostileVisitorsTest {

    /** Short, so the tests that wait for it stay quick; long enough for curl to send its head under load. */
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aSilentVisitorGets408AtTheDeadline() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(HEAD_TIMEOUT); Socket silent = web.visit("127.0.0.1")) {
            long start = System.nanoTime();

            String answer = readAll(silent);

            assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
            assertTrue(System.nanoTime() - start >= HEAD_TIMEOUT.toNanos() * 9 / 10, "answered before the deadline");
        }
    }

    @Test
    void aHeadTrickledAByteAtATimeGets408AtTheDeadline() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (WebTunnelServer web = WebTunnelServer.start(HEAD_TIMEOUT); Socket slowloris = web.visit("127.0.0.1")) {
            OutputStream out = slowloris.getOutputStream();
            byte[] endless = "GET / HTTP/1.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            int[] sent = {0};
            trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write(endless[sent[0]++ % endless.length]);
                } catch (IOException e) {
                    throw new IllegalStateException("the server closed the trickle", e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            String answer = readAll(slowloris);

            assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void anOversizedHeadGets431() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); Socket visitor = web.visit("127.0.0.1")) {
            visitor.getOutputStream().write(("GET / HTTP/1.1\r\nHost: app.example.test\r\nX-Big: "
                    + "a".repeat(17 * 1024)).getBytes(StandardCharsets.US_ASCII));

            String answer = readAll(visitor);

            assertTrue(answer.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), answer);
            assertTrue(answer.contains("request head over 16384 bytes"), answer);
        }
    }

    @ParameterizedTest
    // Escapes that translateEscapes() reads, so that the CSV source holds no line ends of its own.
    @CsvSource(delimiter = '|', value = {
        "\\0\\1garbage\\r\\n\\r\\n  | not an HTTP/1 request line",
        "GET / HTTP/1.0\\r\\n\\r\\n | request names no host",
    })
    void aHeadThatNamesNoHostGets400(String head, String why) throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); Socket visitor = web.visit("127.0.0.1")) {
            visitor.getOutputStream().write(head.translateEscapes().getBytes(StandardCharsets.ISO_8859_1));

            String answer = readAll(visitor);

            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.contains(why), answer);
        }
    }

    @Test
    void aFloodOfSilentVisitorsFromManySourcesLeavesRoomForARealOne() throws Exception {
        int sources = 20;
        int perSource = VisitorGate.MAX_READING_HEADS / sources + 2;
        try (WebTunnelServer web = WebTunnelServer.start(Duration.ofMinutes(1)); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());
            InetSocketAddress port = new InetSocketAddress("127.0.0.1", web.httpPort());
            try (SilentFlood flood = SilentFlood.start(port, 2, sources, perSource, 200)) {
                Await.until("the flood to fill the port", RunningTunnel.WAIT, () -> metric(web, "all") > 0);

                Curl.Result real = web.get("app.example.test", "/");

                assertEquals(0, real.exitCode());
                assertTrue(real.out().startsWith("app GET"), real.out());
                assertTrue(heads(web) <= VisitorGate.MAX_READING_HEADS, "heads under way: " + heads(web));
            }
        }
    }

    @Test
    void oneSourceHoldsAtMostItsQuotaOfHeadsAndStillGetsThrough() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(Duration.ofMinutes(1)); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());
            InetSocketAddress port = new InetSocketAddress("127.0.0.1", web.httpPort());
            try (SilentFlood flood = SilentFlood.start(port, 1, 1, VisitorGate.MAX_READING_HEADS_PER_SOURCE + 8, 50)) {
                Await.until("the flood to pass its quota", RunningTunnel.WAIT, () -> metric(web, "per_source") >= 8);

                Curl.Result real = web.get("app.example.test", "/");

                assertTrue(real.out().startsWith("app GET"), real.out());
                assertTrue(heads(web) <= VisitorGate.MAX_READING_HEADS_PER_SOURCE, "heads under way: " + heads(web));
            }
        }
    }

    private static long metric(WebTunnelServer web, String reason) {
        String series = "rtunnel_server_web_heads_dropped_total{port=\"" + web.httpPort() + "\",reason=\"" + reason + "\"}";
        return web.server.metrics().render().lines().filter(line -> line.startsWith(series + " "))
                .mapToLong(line -> Long.parseLong(line.substring(series.length() + 1))).findFirst().orElse(0);
    }

    private static long heads(WebTunnelServer web) {
        return StartupLimitsTest.metric(web.server, "rtunnel_server_web_heads{port=\"" + web.httpPort() + "\"}");
    }

    private static String readAll(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
