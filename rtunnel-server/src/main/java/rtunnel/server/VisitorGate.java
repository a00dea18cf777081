package rtunnel.server;

import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.Metrics;
import rtunnel.relay.Multiplexer;
import rtunnel.server.StartupTable.Reason;
import rtunnel.server.StartupTable.Verdict;

/**
 * The door of one web port: counts the visitors still sending their request head or ClientHello, and when
 * a newcomer makes one too many (in all, or from one source), closes the one that has waited longest, so a
 * flood of silent or trickling connections cannot keep a real visitor, who sends its head at once, out.
 */
public final class VisitorGate {

    private static final Logger log = LoggerFactory.getLogger(VisitorGate.class);

    /** Visitors reading their head at once, at most: each holds a thread until its head or its time is up. */
    public static final int MAX_READING_HEADS = 512;

    /** Heads under way from one address (IPv6: one /64): a browser opens about six connections; more is a flood. */
    public static final int MAX_READING_HEADS_PER_SOURCE = 32;

    private final ReentrantLock lock = new ReentrantLock();
    private final StartupTable<Socket> table;
    /** The same visitors as the table's, for {@link #resetAll}. */
    private final Set<Socket> reading = new HashSet<>();
    private final Metrics metrics;
    private final String port;

    /** A gate for the web port {@code port}; its drops count in {@code metrics}. */
    VisitorGate(Metrics metrics, int port) {
        // START = FULL: no random early drop; at the limit the longest waiting visitor always makes room.
        MaxStartups limit = new MaxStartups(MAX_READING_HEADS, 100, MAX_READING_HEADS);
        this.table = new StartupTable<>(limit, MAX_READING_HEADS_PER_SOURCE, System::nanoTime, new SplittableRandom());
        this.metrics = metrics;
        this.port = Integer.toString(port);
        metrics.gauge("rtunnel_server_web_heads", "Web visitors still sending their request head or ClientHello.",
                this::reading, "port", this.port);
    }

    /**
     * Admits {@code visitor}, resetting another visitor that has waited longer when there are too many;
     * false when the newcomer itself was reset (nobody had waited longer).
     */
    boolean admit(Socket visitor) {
        Verdict<Socket> verdict;
        lock.lock();
        try {
            verdict = table.admit(visitor, SourceBlock.of(visitor.getInetAddress()), false);
            if (verdict.dropped() != visitor) {
                reading.add(visitor);
                reading.remove(verdict.dropped());
            }
        } finally {
            lock.unlock();
        }
        if (verdict.reason() == null) {
            return true;
        }
        metrics.counter("rtunnel_server_web_heads_dropped_total", "Web visitors reset before their request head "
                + "or ClientHello was complete, to make room for newer ones.", "port", port, "reason",
                verdict.reason() == Reason.PER_SOURCE ? "per_source" : "all").increment();
        log.warn("web visitor {}: reset after {} ms without a complete head, to let {} in: too many heads under way{}",
                verdict.dropped().getRemoteSocketAddress(), verdict.idleNanos() / 1_000_000,
                visitor.getRemoteSocketAddress(), verdict.reason() == Reason.PER_SOURCE ? " from one source" : "");
        // Its reader sees the socket closed and ends; a newcomer dropped here was never handed to a reader.
        Multiplexer.reject(verdict.dropped());
        return verdict.dropped() != visitor;
    }

    /** {@code visitor}'s head is complete, or it is gone: it no longer counts. */
    void done(Socket visitor) {
        lock.lock();
        try {
            table.remove(visitor);
            reading.remove(visitor);
        } finally {
            lock.unlock();
        }
    }

    /** Visitors reading their head now. */
    long reading() {
        lock.lock();
        try {
            return table.size();
        } finally {
            lock.unlock();
        }
    }

    /** Resets every visitor still sending its head: the port is closing, and their readers end at once. */
    void resetAll() {
        List<Socket> all;
        lock.lock();
        try {
            all = List.copyOf(reading);
        } finally {
            lock.unlock();
        }
        all.forEach(Multiplexer::reject);
    }
}
