package rtunnel.protocol;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A small stock of full-size frame buffers for one connection, so bulk data reuses them instead of
 * allocating and zeroing 64 KiB per frame. A buffer has one owner at a time: whoever took it (the frame
 * reader, or a stream's socket reader) wraps it in a {@link Frame}, and whoever consumes that frame (the
 * stream's socket writer, or the control connection's writer) gives it back through {@link Frame#release()}
 * once its bytes are written. A frame dropped without a release is simply collected. Thread-safe.
 */
public final class FrameBuffers {

    /** A frame of {@link Protocol#MAX_PAYLOAD} bytes with the longest tag, and room to read the next header. */
    public static final int BUFFER_BYTES = Frame.bufferSize(Protocol.MAX_PAYLOAD) + Protocol.HEADER_LENGTH;

    private final ReentrantLock lock = new ReentrantLock();
    private final byte[][] stock;
    private int count;

    /** Keeps at most {@code capacity} idle buffers; more are allocated when needed and left to the collector. */
    public FrameBuffers(int capacity) {
        this.stock = new byte[capacity][];
    }

    /** A buffer of {@link #BUFFER_BYTES}, from the stock when it has one. Its contents are undefined. */
    public byte[] take() {
        lock.lock();
        try {
            if (count > 0) {
                byte[] buffer = stock[--count];
                stock[count] = null;
                return buffer;
            }
        } finally {
            lock.unlock();
        }
        return new byte[BUFFER_BYTES];
    }

    /** Takes back a buffer that {@link #take()} gave and nobody uses any more; kept if the stock has room. */
    public void give(byte[] buffer) {
        if (buffer.length != BUFFER_BYTES) {
            throw new IllegalArgumentException("buffer of " + buffer.length + " bytes is not a frame buffer");
        }
        lock.lock();
        try {
            if (count < stock.length) {
                stock[count++] = buffer;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Idle buffers held right now. */
    public int idle() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
