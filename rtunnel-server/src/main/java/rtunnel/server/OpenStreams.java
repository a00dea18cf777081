package rtunnel.server;

import java.util.concurrent.atomic.AtomicInteger;

/** The streams one tunnel by name has open, held under {@code --max-streams-per-tunnel} as a port's are. */
final class OpenStreams {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    OpenStreams(int max) {
        this.max = max;
    }

    /** Counts one more stream, or says no when {@code max} are open. */
    boolean tryOpen() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A stream counted by {@link #tryOpen} ended. */
    void closed() {
        open.decrementAndGet();
    }

    int max() {
        return max;
    }
}
