package rtunnel.bench;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Resident memory of a tunnel's server and client sides when idle and with many idle connections open through
 * the tunnel, each proven end to end by a one-byte echo.
 */
final class MemoryProbe {

    /** Parallel openers: connections come up several at a time, as from real visitors. */
    static final int OPENERS = 4;

    /** RSS is steady once two readings this far apart differ by less than {@link #STEADY_FRACTION}. */
    static final Duration SETTLE_STEP = Duration.ofMillis(250);

    static final double STEADY_FRACTION = 0.005;

    /**
     * Bounds the opening of all connections. Through rtunnel 10,000 take a few seconds; ssh -R slows down as its
     * channels add up (sshd and ssh look at every channel on each turn of their loops), and opened 9,193 in
     * 120 s here.
     */
    static final Duration OPEN_LIMIT = Duration.ofSeconds(300);

    /** How long to wait for RSS to settle: the JVMs finish their allocations and JIT work well before. */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(5);

    /**
     * How long the connections stay idle before their memory is read: what an open connection costs is
     * what an idle one does (most open connections are), and on Java 17 an idle stream's socket writer ends
     * after 2 s ({@code Stream.IDLE_WRITER_NANOS}), its pooled thread 2 s later.
     */
    static final Duration IDLE_BEFORE_READING = Duration.ofSeconds(5);

    /** The two processes' figures when idle and with the connections open. */
    record Result(int connections, ProcessStats serverIdle, ProcessStats clientIdle, ProcessStats serverLoaded,
            ProcessStats clientLoaded) {

        /** (RSS with − RSS idle) / connections, server and client together. */
        double kibPerConnection() {
            long grown = serverLoaded.rssKib() - serverIdle.rssKib() + clientLoaded.rssKib() - clientIdle.rssKib();
            return (double) grown / connections;
        }
    }

    private MemoryProbe() {
    }

    /** Reads idle figures, opens {@code connections} to {@code publicPort}, and reads them again. */
    static Result run(TunnelPair tunnel, int publicPort, int connections)
            throws IOException, InterruptedException {
        settle(tunnel);
        ProcessStats serverIdle = tunnel.serverStats();
        ProcessStats clientIdle = tunnel.clientStats();
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        try {
            open(publicPort, connections, sockets);
            if (tunnel.eitherExitedWithin(IDLE_BEFORE_READING)) {
                throw new IOException("the server or the client exited while its connections were idle");
            }
            settle(tunnel);
            return new Result(connections, serverIdle, clientIdle, tunnel.serverStats(), tunnel.clientStats());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void open(int port, int connections, List<Socket> sockets)
            throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<IOException> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + OPEN_LIMIT.toNanos();
        List<Thread> openers = new ArrayList<>();
        for (int i = 0; i < OPENERS; i++) {
            Thread opener = new Thread(() -> {
                try {
                    while (failure.get() == null && next.getAndIncrement() < connections) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new IOException("not all open within " + OPEN_LIMIT.toSeconds() + " s");
                        }
                        Socket socket = Loopback.connect(port);
                        sockets.add(socket);
                        Loopback.pingPong(socket);
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-memory-open-" + i);
            opener.setDaemon(true);
            openers.add(opener);
            opener.start();
        }
        for (Thread opener : openers) {
            opener.join();
        }
        if (failure.get() != null) {
            throw new IOException("opened " + sockets.size() + " of " + connections + " connections: "
                    + failure.get(), failure.get());
        }
    }

    /** Waits until neither process's RSS is still moving, up to {@link #SETTLE_LIMIT}. */
    private static void settle(TunnelPair tunnel) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        long previous = tunnel.serverStats().rssKib() + tunnel.clientStats().rssKib();
        while (System.nanoTime() - deadline < 0) {
            // RSS is sampled once a step; between samples only a dying program ends the wait early.
            if (tunnel.eitherExitedWithin(SETTLE_STEP)) {
                throw new IOException("the server or the client exited while its memory was being measured");
            }
            long now = tunnel.serverStats().rssKib() + tunnel.clientStats().rssKib();
            if (Math.abs(now - previous) < STEADY_FRACTION * previous) {
                return;
            }
            previous = now;
        }
    }
}
