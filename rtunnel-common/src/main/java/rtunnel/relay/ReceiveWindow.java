package rtunnel.relay;

import java.util.concurrent.atomic.AtomicLong;
import rtunnel.protocol.Protocol;

/**
 * One stream's receive window as its socket writer manages it: when to grant the peer more, how much, and
 * the share of the session's {@link WindowBudget} it holds. The window starts at
 * {@link Protocol#INITIAL_WINDOW} and doubles with each grant while the socket keeps up and the budget has
 * room, as TCP's slow start does, so a stalled or idle visitor never holds more than the initial window.
 */
final class ReceiveWindow {

    /**
     * The most window one stream grows to: enough to keep a fast link full between window updates (on
     * loopback 512 KiB already ran at full speed).
     */
    static final int MAX_BYTES = 1024 * 1024;

    private final WindowBudget budget;
    /** Budget bytes this stream holds; given back, once, by {@link #release()}. */
    private final AtomicLong reserved = new AtomicLong(Protocol.INITIAL_WINDOW);
    /** The window now. Only the socket writer's thread touches it. */
    private int size = Protocol.INITIAL_WINDOW;
    private int ungranted;
    private volatile boolean released;

    /** A window whose initial {@link Protocol#INITIAL_WINDOW} bytes were already taken from {@code budget}. */
    ReceiveWindow(WindowBudget budget) {
        this.budget = budget;
    }

    /**
     * {@code count} more bytes reached the socket. Returns what to grant the peer now (those bytes and any
     * growth), or 0 while the grant is not yet due (half the window). {@code backlogged}: bytes still wait
     * for the socket, so the socket, not the window, is what limits the stream, and it does not grow.
     */
    int consumed(int count, boolean backlogged) {
        ungranted += count;
        if (ungranted < size / 2) {
            return 0;
        }
        int grant = ungranted + (backlogged ? 0 : grow());
        ungranted = 0;
        return grant;
    }

    private int grow() {
        int more = size;
        if (more >= MAX_BYTES || released || !budget.tryTake(more)) {
            return 0;
        }
        reserved.addAndGet(more);
        size += more;
        if (released) {
            // Released meanwhile, perhaps before the line above: give back whatever is left, once.
            budget.giveBack(reserved.getAndSet(0));
        }
        return more;
    }

    /** The window now. */
    int size() {
        return size;
    }

    /** The stream ended: its share goes back to the budget. */
    void release() {
        released = true;
        budget.giveBack(reserved.getAndSet(0));
    }
}
