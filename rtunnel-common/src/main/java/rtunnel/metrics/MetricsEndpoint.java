package rtunnel.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.ProtocolException;

/**
 * Serves {@link Metrics} on {@code GET /metrics} for Prometheus, and a {@link HealthCheck} on
 * {@code GET /health...} for load balancers: one HTTP/1.1 request per connection, each on a thread of its
 * own. Since a balancer takes a server out when its checks go unanswered, no peer may hold the endpoint: a
 * request head is bounded in bytes and time ({@link RequestHead}), and connections in all and from one
 * address are bounded ({@link #MAX_CONNECTIONS}, {@link #MAX_PER_SOURCE}); one more is closed at once.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    /** Connections served at once: a scraper or two and a balancer's checks need a handful, each for milliseconds. */
    static final int MAX_CONNECTIONS = 16;

    /** From one address: a balancer or a scraper asks one request at a time; four leave room for its retries. */
    static final int MAX_PER_SOURCE = 4;

    /** Connections waiting to be accepted; they are accepted at once, so a short queue is enough. */
    private static final int BACKLOG = 16;

    /** How long close() waits for the accepting thread, which only needs to notice its closed socket. */
    private static final long THREAD_EXIT_MILLIS = 5_000;

    private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String HEALTH_TYPE = "text/plain; charset=utf-8";

    private final ServerSocket listener;
    private final Metrics metrics;
    private final HealthCheck health;
    private final ConnectionSlots slots = new ConnectionSlots(MAX_CONNECTIONS, MAX_PER_SOURCE);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private MetricsEndpoint(ServerSocket listener, Metrics metrics, HealthCheck health) {
        this.listener = listener;
        this.metrics = metrics;
        this.health = health;
        this.acceptor = new Thread(this::acceptAll, "rtunnel-metrics");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Binds {@code address} (port 0: any free port) and starts serving, without health checks. */
    public static MetricsEndpoint start(InetSocketAddress address, Metrics metrics) throws IOException {
        return start(address, metrics, HealthCheck.NONE);
    }

    /** Binds {@code address} (port 0: any free port) and starts serving metrics and {@code health}. */
    public static MetricsEndpoint start(InetSocketAddress address, Metrics metrics, HealthCheck health)
            throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(address, BACKLOG);
        } catch (BindException e) {
            listener.close();
            // The JDK's message ("Address already in use") names neither the address nor what it was for.
            BindException named = new BindException("cannot serve metrics on " + shown(address) + ": "
                    + e.getMessage());
            named.initCause(e);
            throw named;
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new MetricsEndpoint(listener, metrics, health);
    }

    private void acceptAll() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("metrics endpoint {} stopped accepting: {}", shown(address()), e.getMessage());
                }
                return;
            }
            InetAddress source = socket.getInetAddress();
            if (!slots.take(source)) {
                log.debug("metrics endpoint: turning away {}: too many connections", source.getHostAddress());
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            Thread thread = new Thread(() -> serve(socket, source),
                    "rtunnel-metrics-" + source.getHostAddress() + ":" + socket.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket socket, InetAddress source) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            try {
                answer(out, RequestHead.read(socket));
            } catch (ProtocolException e) {
                log.debug("metrics endpoint: bad request from {}: {}", source.getHostAddress(), e.getMessage());
                boolean tooLong = e.getMessage().startsWith("request head exceeds");
                send(out, tooLong ? 431 : 400, HEALTH_TYPE, e.getMessage() + "\n", false);
            }
        } catch (IOException e) {
            // A peer that went away, was too slow, or a socket closed by close(): nothing more to answer.
            log.debug("metrics endpoint: connection from {} ended: {}", source.getHostAddress(), e.getMessage());
        } finally {
            open.remove(socket);
            slots.release(source);
        }
    }

    private void answer(OutputStream out, RequestHead request) throws IOException {
        String path = request.path();
        boolean isHealth = path.equals(HealthCheck.PATH) || path.startsWith(HealthCheck.PATH + "/");
        boolean head = request.method().equals("HEAD");
        if (!path.equals("/metrics") && !isHealth) {
            send(out, 404, HEALTH_TYPE, "not found\n", head);
        } else if (!head && !request.method().equals("GET")) {
            send(out, 405, HEALTH_TYPE, "only GET and HEAD\n", false);
        } else if (isHealth) {
            HealthCheck.Answer answer = health.check(path);
            send(out, answer.status(), HEALTH_TYPE, answer.text() + "\n", head);
        } else {
            send(out, 200, METRICS_TYPE, metrics.render(), head);
        }
    }

    private static void send(OutputStream out, int status, String type, String text, boolean headOnly)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + type
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!headOnly) {
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** The address really bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Stops accepting, closes every connection being served, and waits for the accepting thread. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        open.forEach(MetricsEndpoint::closeQuietly);
        try {
            acceptor.join(THREAD_EXIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("metrics endpoint: closing failed: {}", e.getMessage());
        }
    }

    /** host:port, an IPv6 host in brackets. */
    private static String shown(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
