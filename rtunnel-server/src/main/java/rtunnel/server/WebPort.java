package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.TunnelMeter;
import rtunnel.policy.AllowList;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Worker;

/** One shared web port (HTTP or HTTPS): accepts visitors and has each routed by the name it asks for. */
final class WebPort implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebPort.class);

    /** Backlog of the web listener: visitors arriving at once queue here. */
    private static final int BACKLOG = 1024;

    /** After a failed accept, the wait before the next: long enough not to spin while descriptors are short. */
    private static final long ACCEPT_RETRY_NANOS = 100_000_000;

    /** How long close() waits for the accept thread, which ends as soon as its socket is closed. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    private final ServerSocket socket;
    private final boolean tls;
    private final Duration headTimeout;
    private final VisitorCheck serverCheck;
    private NameRegistry names;
    private Metrics metrics;
    private VisitorGate gate;
    private SocketThreads threads;
    private Worker thread;
    private volatile boolean closed;

    private WebPort(ServerSocket socket, boolean tls, Duration headTimeout, AllowList allowFrom) {
        this.socket = socket;
        this.tls = tls;
        this.headTimeout = headTimeout;
        this.serverCheck = VisitorCheck.serverOnly(allowFrom);
    }

    /** Binds {@code address} for HTTP ({@code tls} false) or HTTPS visitors, of whom it admits {@code allowFrom}. */
    static WebPort bind(InetSocketAddress address, boolean tls, Duration headTimeout, AllowList allowFrom)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen for " + (tls ? "HTTPS" : "HTTP") + " on " + address + ": "
                    + e.getMessage(), e);
        }
        return new WebPort(socket, tls, headTimeout, allowFrom);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The address really bound (the real port when 0 was asked). */
    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Starts accepting visitors, routing them by {@code registry}. */
    void start(SocketThreads socketThreads, NameRegistry registry, Metrics serverMetrics) {
        threads = socketThreads;
        names = registry;
        metrics = serverMetrics;
        gate = new VisitorGate(serverMetrics, port());
        thread = threads.start("rtunnel-web-" + port(), this::acceptVisitors);
        log.info("listening for {} visitors on {}", tls ? "HTTPS" : "HTTP", socket.getLocalSocketAddress());
    }

    /**
     * Accepts until the port is closed. A failed accept (out of file descriptors, say) does not end it: every
     * client's names depend on this port, so it waits a moment and accepts again.
     */
    private void acceptVisitors() {
        while (!closed) {
            try {
                serve(socket.accept());
            } catch (IOException e) {
                if (!closed) {
                    log.warn("web port {}: accepting a visitor failed: {}", port(), e.getMessage());
                    LockSupport.parkNanos(ACCEPT_RETRY_NANOS);
                }
            }
        }
    }

    private void serve(Socket visitor) {
        if (serverCheck.turnsAway(visitor, "web port " + port(), () -> TunnelMeter.refusedVisitors(metrics,
                "rtunnel_server", "port", Integer.toString(port()), "allow_from").increment())) {
            return;
        }
        if (!gate.admit(visitor)) {
            return;
        }
        long deadline = System.nanoTime() + headTimeout.toNanos();
        WebVisitor routing = new WebVisitor(visitor, tls, names, deadline, () -> gate.done(visitor));
        try {
            threads.start("rtunnel-web-" + port() + "-" + visitor.getRemoteSocketAddress(), routing::serve);
        } catch (RejectedExecutionException e) {
            log.warn("web port {}: resetting visitor {}: {}", port(), visitor.getRemoteSocketAddress(), e.getMessage());
            gate.done(visitor);
            Multiplexer.reject(visitor);
        }
    }

    /**
     * Stops accepting visitors, releasing the port at once, resets those still sending their head, and waits
     * for the accept thread. Visitors already handed to a tunnel are its client session's to end.
     */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("web port {}: closing the listener failed: {}", port(), e.getMessage());
        }
        if (gate != null) {
            gate.resetAll();
        }
        if (thread != null) {
            try {
                thread.join(THREAD_EXIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
