package rtunnel.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The receive window one side of a session may hand out over all its streams together. A window is a
 * promise to buffer that many bytes should the local socket stall, so the sum of every stream's window is
 * the most a peer (or the visitors behind it) can make this side hold: {@link #SESSION_BYTES}, not streams
 * times a stream's window. Each stream takes {@link rtunnel.protocol.Protocol#INITIAL_WINDOW} from here when
 * it opens, more as it grows, and gives all of it back when it ends. Thread-safe.
 */
public final class WindowBudget {

    /**
     * 256 MiB: every stream of a full tunnel (16,384) at its initial window, or a few hundred streams at full
     * speed. Beyond it new streams are turned away and busy ones stop growing; nothing already promised is
     * taken back.
     */
    public static final long SESSION_BYTES = 256L * 1024 * 1024;

    private final long total;
    private final AtomicLong left;

    /** A budget of {@link #SESSION_BYTES}. */
    public WindowBudget() {
        this(SESSION_BYTES);
    }

    /** A budget of {@code total} bytes (tests use small ones). */
    public WindowBudget(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("window budget " + total + " is negative");
        }
        this.total = total;
        this.left = new AtomicLong(total);
    }

    /** Takes {@code bytes} if that much is left; false (taking nothing) otherwise. */
    boolean tryTake(long bytes) {
        long before;
        do {
            before = left.get();
            if (before < bytes) {
                return false;
            }
        } while (!left.compareAndSet(before, before - bytes));
        return true;
    }

    /** Returns {@code bytes} taken before. */
    void giveBack(long bytes) {
        left.addAndGet(bytes);
    }

    /** Bytes promised to the peer right now, over all streams. */
    public long promised() {
        return total - left.get();
    }

    /** The whole budget. */
    public long total() {
        return total;
    }
}
