package rtunnel.metrics;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many connections the metrics endpoint serves at once, in all and from one address, so that peers that
 * hold connections open (however slowly they send) cannot crowd out the balancer's checks.
 */
final class ConnectionSlots {

    private final int total;
    private final int perSource;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Integer> bySource = new HashMap<>();
    private int used;

    ConnectionSlots(int total, int perSource) {
        this.total = total;
        this.perSource = perSource;
    }

    /** Takes a slot for a connection from {@code source}: false when all are taken, or all of that source's. */
    boolean take(InetAddress source) {
        lock.lock();
        try {
            int fromSource = bySource.getOrDefault(source, 0);
            if (used >= total || fromSource >= perSource) {
                return false;
            }
            used++;
            bySource.put(source, fromSource + 1);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot {@link #take} gave for {@code source}. */
    void release(InetAddress source) {
        lock.lock();
        try {
            used--;
            bySource.computeIfPresent(source, (address, count) -> count == 1 ? null : count - 1);
        } finally {
            lock.unlock();
        }
    }
}
