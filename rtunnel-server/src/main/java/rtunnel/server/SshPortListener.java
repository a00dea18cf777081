package rtunnel.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.TunnelMeter;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Worker;

/**
 * One {@code ssh -R} forward's public port: accepts visitors on our own thread and carries each through a
 * {@code forwarded-tcpip} channel of its own, so a visitor's half-close reaches ssh as EOF.
 */
final class SshPortListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshPortListener.class);

    /** How long close() waits for the accept thread, which ends as soon as its socket is closed. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    private final ServerSocket socket;
    /** The forward as ssh asked for it, with the port bound: ssh matches each channel to it by these. */
    private final SshdSocketAddress forward;
    private final SshVisitorChannel channels;
    private final SocketThreads threads;
    private final String client;
    private final int maxStreams;
    private final VisitorCheck check;
    private final AtomicInteger openStreams = new AtomicInteger();
    private final TunnelMeter meter;
    private volatile boolean closed;
    private Worker thread;

    SshPortListener(ServerSocket socket, SshdSocketAddress forward, SshVisitorChannel channels, SocketThreads threads,
            String client, int maxStreams, Metrics metrics, VisitorCheck check) {
        this.socket = socket;
        this.forward = forward;
        this.channels = channels;
        this.threads = threads;
        this.client = client;
        this.maxStreams = maxStreams;
        this.check = check;
        this.meter = new TunnelMeter(metrics, "rtunnel_server", socket.getLocalPort());
    }

    int port() {
        return socket.getLocalPort();
    }

    void start() {
        thread = threads.start("rtunnel-ssh-listen-" + port(), this::acceptVisitors);
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
                carry(visitor);
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("tunnel {}: stopped accepting visitors for ssh client {}: {}", port(), client,
                        e.getMessage());
            }
        }
    }

    /** Hands {@code visitor} to a thread of its own, so a slow or silent ssh client never holds up accept. */
    private void carry(Socket visitor) {
        String label = "rtunnel-ssh-" + port() + "-" + SshVisitorChannel.addressOf(visitor);
        openStreams.incrementAndGet();
        Runnable counted = meter.streamOpened();
        Runnable ended = () -> {
            openStreams.decrementAndGet();
            counted.run();
        };
        try {
            threads.start(label, () -> {
                try {
                    channels.carry(visitor, forward, "tunnel " + port(), label, meter);
                } finally {
                    ended.run();
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("tunnel {}: resetting visitor {}: {}", port(), visitor.getRemoteSocketAddress(), e.getMessage());
            Multiplexer.reject(visitor);
            ended.run();
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
