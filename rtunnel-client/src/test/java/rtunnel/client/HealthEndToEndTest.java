package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.HostPort;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/** A load balancer's view of a server: health per public port, and a drain that turns it away first. */
@Timeout(60)
class HealthEndToEndTest {

    /** Long enough to check the server drains while visitors still arrive; short enough for a quick test. */
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Path CURL = Path.of("/usr/bin/curl");

    /** The status and body of {@code GET path} on {@code endpoint}. */
    static String check(InetSocketAddress endpoint, String path) throws IOException {
        HttpURLConnection http = (HttpURLConnection) new URL("http://127.0.0.1:" + endpoint.getPort() + path)
                .openConnection();
        http.setConnectTimeout(5_000);
        http.setReadTimeout(5_000);
        int status = http.getResponseCode();
        try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
            return status + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    private static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Test
    void aPortIsHealthyWhileAClientHoldsIt() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            InetSocketAddress endpoint = tunnel.server.serveMetrics(anyPort());
            int port = tunnel.nextBound().port();
            assertEquals("200 port " + port + " is held by a client", check(endpoint, "/health/port/" + port));
            assertEquals("200 serving", check(endpoint, "/health"));
            assertEquals("200 port " + port + " is held by a client", curl(endpoint, "/health/port/" + port));
            tunnel.client.close();
            Await.until("the port's health to turn 503", RunningTunnel.WAIT,
                    () -> answers(endpoint, "/health/port/" + port, "503 no client holds port " + port));
            assertEquals("200 serving", check(endpoint, "/health"));
            assertEquals("404 not found", check(endpoint, "/health/port/http"));
        }
    }

    @Test
    void aWatchedServerAnswers503AtOnceAndLetsVisitorsInForTheDrain() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            InetSocketAddress endpoint = tunnel.server.serveMetrics(anyPort());
            HostPort where = tunnel.nextBound();
            assertEquals(200, status(endpoint, "/health/port/" + where.port()));
            long started = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> tunnel.server.shutdown(DRAIN));
            Await.until("health to turn 503", DRAIN, () -> answers(endpoint, "/health", "503 draining"));
            assertEquals("503 draining", check(endpoint, "/health/port/" + where.port()));
            ReliabilityTest.assertEchoes(where);
            assertFalse(stopping.isDone(), "the server drains for the whole period");
            stopping.get(DRAIN.plus(RunningTunnel.WAIT).toSeconds(), TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - started >= DRAIN.toNanos(), "stopped before the drain period was over");
            assertTrue(ReliabilityTest.refuses(where), "the public port is closed after the drain");
        }
    }

    /** The status and body curl, a real HTTP client, gets; skips the test when curl is not installed. */
    private static String curl(InetSocketAddress endpoint, String path) throws Exception {
        assumeTrue(Files.isExecutable(CURL), CURL + " is missing (apt-get install curl)");
        Process curl = new ProcessBuilder(CURL.toString(), "-sS", "--max-time", "10", "-w", " %{http_code}",
                "http://127.0.0.1:" + endpoint.getPort() + path).redirectErrorStream(true).start();
        String said = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(20, TimeUnit.SECONDS) && curl.exitValue() == 0, said);
        int space = said.lastIndexOf(' ');
        return said.substring(space + 1) + " " + said.substring(0, space).strip();
    }

    /** Prometheus scraping /metrics is no balancer: the stop closes the public ports at once, as without --metrics. */
    @Test
    void aServerWhoseHealthNobodyAskedClosesItsPortsAtOnce() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            InetSocketAddress endpoint = tunnel.server.serveMetrics(anyPort());
            HostPort where = tunnel.nextBound();
            assertTrue(check(endpoint, "/metrics").startsWith("200 "));
            long started = System.nanoTime();
            tunnel.server.shutdown(DRAIN);
            assertTrue(System.nanoTime() - started < DRAIN.toNanos(), "no stream was open: the stop did not wait");
            assertTrue(ReliabilityTest.refuses(where), "the public port is closed");
        }
    }

    private static int status(InetSocketAddress endpoint, String path) throws IOException {
        return Integer.parseInt(check(endpoint, path).split(" ")[0]);
    }

    private static boolean answers(InetSocketAddress endpoint, String path, String expected) {
        try {
            return check(endpoint, path).equals(expected);
        } catch (IOException e) {
            throw new AssertionError("the health endpoint failed", e);
        }
    }
}
