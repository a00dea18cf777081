package rtunnel.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@link Metrics} on {@code GET /metrics} for Prometheus, and a {@link HealthCheck} on
 * {@code GET /health...} for load balancers, with the JDK's own HTTP server (one thread: a scrape every few
 * seconds and a check every second need no more).
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String HEALTH_CONTENT_TYPE = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (port 0: any free port) and starts serving, without health checks. */
    public static MetricsEndpoint start(InetSocketAddress address, Metrics metrics) throws IOException {
        return start(address, metrics, HealthCheck.NONE);
    }

    /** Binds {@code address} (port 0: any free port) and starts serving metrics and {@code health}. */
    public static MetricsEndpoint start(InetSocketAddress address, Metrics metrics, HealthCheck health)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            // The JDK's message ("Address already in use") names neither the address nor what it was for.
            BindException named = new BindException("cannot serve metrics on " + shown(address) + ": "
                    + e.getMessage());
            named.initCause(e);
            throw named;
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "rtunnel-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, metrics, health));
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void answer(HttpExchange exchange, Metrics metrics, HealthCheck health) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean isHealth = path.equals(HealthCheck.PATH) || path.startsWith(HealthCheck.PATH + "/");
            if (!path.equals("/metrics") && !isHealth) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (isHealth) {
                HealthCheck.Answer answer = health.check(path);
                send(exchange, answer.status(), HEALTH_CONTENT_TYPE, answer.text() + "\n");
            } else {
                send(exchange, 200, CONTENT_TYPE, metrics.render());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The address really bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** host:port, an IPv6 host in brackets. */
    private static String shown(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
