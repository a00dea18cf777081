package rtunnel.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameWriter;

/**
 * The one thread that writes a control connection. Everyone else queues frames here, so the thread reading
 * the connection never blocks on a write, and frames queued while a write is under way leave together in
 * one flush. Stream data waits while too much is queued, which pushes back on the sockets being read;
 * session frames (window updates, pongs, resets) never wait.
 */
public final class ControlWriter implements AutoCloseable {

    /**
     * Stream data queued beyond this makes data senders wait. Four frames' worth keeps the writer busy
     * without letting a slow link pile up every stream's window in memory.
     */
    static final int HIGH_WATER_BYTES = 256 * 1024;

    private final FrameWriter writer;
    private final Consumer<IOException> onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition frameQueued = lock.newCondition();
    private final Condition roomFreed = lock.newCondition();
    private ArrayDeque<Frame> queue = new ArrayDeque<>();
    private long queuedDataBytes;
    private boolean closed;
    private Thread thread;
    private volatile long lastWriteNanos = System.nanoTime();

    /** Writes through {@code writer}; {@code onFailure} hears of the first write error. */
    public ControlWriter(FrameWriter writer, Consumer<IOException> onFailure) {
        this.writer = writer;
        this.onFailure = onFailure;
    }

    /** Starts the writing thread. */
    public void start(SocketThreads threads, String name) {
        thread = threads.start(name, this::writeLoop);
    }

    /** When frames were last written, in {@link System#nanoTime()} terms. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Queues a session or flow-control frame; never waits. Dropped silently once closed. */
    public void send(Frame frame) {
        lock.lock();
        try {
            if (!closed) {
                queue.add(frame);
                frameQueued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a stream's data frame, first waiting while the queue holds more than {@link #HIGH_WATER_BYTES}.
     *
     * @return false when the writer is closed and the frame was dropped
     */
    public boolean sendData(Frame frame) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && queuedDataBytes > HIGH_WATER_BYTES) {
                roomFreed.await();
            }
            if (closed) {
                return false;
            }
            queue.add(frame);
            queuedDataBytes += frame.length();
            frameQueued.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        ArrayDeque<Frame> batch = new ArrayDeque<>();
        try {
            while (true) {
                long dataBytes = 0;
                lock.lock();
                try {
                    while (!closed && queue.isEmpty()) {
                        frameQueued.await();
                    }
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    ArrayDeque<Frame> taken = queue;
                    queue = batch;
                    batch = taken;
                } finally {
                    lock.unlock();
                }
                for (Frame frame = batch.poll(); frame != null; frame = batch.poll()) {
                    writer.write(frame);
                    if (frame.type() == rtunnel.protocol.FrameType.DATA) {
                        dataBytes += frame.length();
                    }
                }
                writer.flush();
                lastWriteNanos = System.nanoTime();
                release(dataBytes);
            }
        } catch (IOException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void release(long dataBytes) {
        lock.lock();
        try {
            queuedDataBytes -= dataBytes;
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(IOException e) {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
        onFailure.accept(e);
    }

    /** Writes what is queued, then stops the thread and waits for it (up to {@code timeoutMillis}). */
    public void drainAndClose(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            frameQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null && thread != Thread.currentThread()) {
            thread.join(timeoutMillis);
        }
    }

    /** Stops at once: queued frames are dropped. The caller closes the socket, which ends a blocked write. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            queuedDataBytes = 0;
            frameQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the writing thread to end. */
    public void await(long timeoutMillis) throws InterruptedException {
        if (thread != null && thread != Thread.currentThread()) {
            thread.join(timeoutMillis);
        }
    }
}
