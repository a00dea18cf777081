package rtunnel.relay;

import rtunnel.protocol.Protocol;

/**
 * The size of a stream's next socket read: it starts small, so an idle connection holds little memory
 * while blocked in read, doubles while reads fill the buffer, and halves when they come back mostly empty
 * (the adaptive receive buffer idea from Netty).
 */
final class ReadSize {

    /** Enough for a typical request line and headers, small enough that 10,000 idle streams cost 20 MiB. */
    static final int MINIMUM = 2 * 1024;

    /** One full frame. */
    static final int MAXIMUM = Protocol.MAX_PAYLOAD;

    private int next = MINIMUM;

    /** Whether reads are at the smallest size: the stream is idle or carries small messages. */
    boolean isSmall() {
        return next == MINIMUM;
    }

    /** The size to ask for next. */
    int next() {
        return next;
    }

    /** Adapts to a read that returned {@code count} bytes when {@code asked} were asked for. */
    void record(int count, int asked) {
        if (count >= asked && asked >= next) {
            next = Math.min(MAXIMUM, next * 2);
        } else if (count < next / 4) {
            next = Math.max(MINIMUM, next / 2);
        }
    }
}
