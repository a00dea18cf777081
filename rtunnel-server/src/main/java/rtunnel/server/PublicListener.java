package rtunnel.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import rtunnel.protocol.HostPort;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.TunnelMeter;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Worker;

/** One tunnel's public port: accepts visitors and opens a stream to the client for each. */
final class PublicListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PublicListener.class);

    /** How long close() waits for the accept thread, which ends as soon as its socket is closed. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    private final ServerSocket socket;
    private final int tunnelId;
    private final Multiplexer multiplexer;
    private final String client;
    private final int maxStreams;
    private final AtomicInteger openStreams = new AtomicInteger();
    private final TunnelMeter meter;
    private final VisitorCheck check;
    private volatile boolean closed;
    private Worker thread;

    PublicListener(ServerSocket socket, int tunnelId, Multiplexer multiplexer, String client, int maxStreams,
            Metrics metrics, VisitorCheck check) {
        this.socket = socket;
        this.meter = new TunnelMeter(metrics, "rtunnel_server", socket.getLocalPort());
        this.tunnelId = tunnelId;
        this.multiplexer = multiplexer;
        this.client = client;
        this.maxStreams = maxStreams;
        this.check = check;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The host to report for {@code asked}: as asked, unless the server chose the address (--public-bind). */
    String boundHost(HostPort asked) {
        InetAddress local = socket.getInetAddress();
        return local.isAnyLocalAddress() || !asked.isWildcard() ? asked.host() : local.getHostAddress();
    }

    void start(SocketThreads threads) {
        thread = threads.start("rtunnel-listen-" + port(), this::acceptVisitors);
    }

    private void acceptVisitors() {
        try {
            while (true) {
                Socket visitor = socket.accept();
                if (check.turnsAway(visitor, "tunnel " + port(), () -> meter.visitorRefused("allow_from"))) {
                    continue;
                }
                if (openStreams.get() >= maxStreams) {
                    log.warn("tunnel {}: resetting visitor {}: {} streams open already", port(),
                            visitor.getRemoteSocketAddress(), maxStreams);
                    Multiplexer.reject(visitor);
                    continue;
                }
                visitor.setTcpNoDelay(true);
                log.debug("tunnel {}: visitor {} for client {}", port(), visitor.getRemoteSocketAddress(), client);
                openStreams.incrementAndGet();
                Runnable counted = meter.streamOpened();
                multiplexer.openStream(tunnelId, visitor, Integer.toString(port()), () -> {
                    openStreams.decrementAndGet();
                    counted.run();
                }, meter);
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("tunnel {}: stopped accepting visitors for client {}: {}", port(), client, e.getMessage());
            }
        }
    }

    /** Stops listening, releasing the port at once, and waits for the accept thread. */
    @Override
    public void close() {
        closed = true;
        meter.closed();
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("tunnel {}: closing the listener failed: {}", port(), e.getMessage());
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
