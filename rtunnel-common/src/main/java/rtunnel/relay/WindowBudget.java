package rtunnel.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The receive window one side of a session may hand out over all its streams together. A window is a
 * promise to buffer that many bytes should the local socket stall, so the sum of every stream's window is
 * the most a peer (or the visitors behind it) can make this side hold: {@link #SESSION_BYTES}, not streams
 * times a stream's window. Each stream takes {@link rtunnel.protocol.Protocol#INITIAL_WINDOW} from here when
 * it opens, more as it grows, and gives all of it back when it ends. A session's budget may draw on a
 * shared one too (the whole server's), so that many sessions together stay within the process's heap.
 * Thread-safe.
 */
public final class WindowBudget {

    /**
     * 256 MiB: every stream of a full tunnel (16,384) at its initial window, or a few hundred streams at full
     * speed. Beyond it new streams are turned away and busy ones stop growing; nothing already promised is
     * taken back.
     */
    public static final long SESSION_BYTES = 256L * 1024 * 1024;

    /**
     * The share of the JVM's maximum heap that all sessions of one process together may promise: half, so
     * the rest of the program (threads' stacks excepted, which live outside the heap) always has room.
     */
    public static final double HEAP_SHARE = 0.5;

    private final long total;
    private final AtomicLong left;
    private final WindowBudget shared;

    /** A session's budget of {@link #SESSION_BYTES}, drawing on nothing else. */
    public WindowBudget() {
        this(SESSION_BYTES, null);
    }

    /** A budget of {@code total} bytes (tests use small ones). */
    public WindowBudget(long total) {
        this(total, null);
    }

    /** A budget of {@code total} bytes, each of which must also be had from {@code shared} (null: none). */
    public WindowBudget(long total, WindowBudget shared) {
        if (total < 0) {
            throw new IllegalArgumentException("window budget " + total + " is negative");
        }
        this.total = total;
        this.left = new AtomicLong(total);
        this.shared = shared;
    }

    /** The budget every session of this process shares: {@link #HEAP_SHARE} of the maximum heap. */
    public static WindowBudget forProcess() {
        return new WindowBudget((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE), null);
    }

    /** A session's budget of {@link #SESSION_BYTES} within this shared one. */
    public WindowBudget forSession() {
        return new WindowBudget(SESSION_BYTES, this);
    }

    /** Takes {@code bytes} if that much is left here and in the shared budget; false (taking nothing) otherwise. */
    boolean tryTake(long bytes) {
        long before;
        do {
            before = left.get();
            if (before < bytes) {
                return false;
            }
        } while (!left.compareAndSet(before, before - bytes));
        if (shared != null && !shared.tryTake(bytes)) {
            left.addAndGet(bytes);
            return false;
        }
        return true;
    }

    /** Returns {@code bytes} taken before. */
    void giveBack(long bytes) {
        left.addAndGet(bytes);
        if (shared != null) {
            shared.giveBack(bytes);
        }
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
