package rtunnel.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;

/**
 * Writes a control connection. Frames are queued, and whoever holds the write lock drains the queue in one
 * go and flushes once, so small frames leave together. A stream's reader thread that finds the connection
 * free writes its data (and its window updates) itself, with no hand-off and no wake-up; when another thread
 * is writing, its frame joins the queue that writer drains. Frames from the connection's own reader (window
 * updates, pongs, resets) are only queued and left to the writer thread: that reader must never block on a
 * write.
 */
public final class ControlWriter implements AutoCloseable {

    /**
     * Stream data queued beyond this makes data senders wait. Four frames' worth keeps the writer busy
     * without letting a slow link pile up every stream's window in memory.
     */
    static final int HIGH_WATER_BYTES = 256 * 1024;

    private final FrameWriter writer;
    private final Consumer<IOException> onFailure;
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition frameQueued = queueLock.newCondition();
    private final Condition roomFreed = queueLock.newCondition();
    /** Held by whichever thread is writing to the connection; guards {@link #writer}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private ArrayDeque<Frame> queue = new ArrayDeque<>();
    private ArrayDeque<Frame> batch = new ArrayDeque<>();
    private long queuedDataBytes;
    private boolean closed;
    private Worker thread;
    private volatile long lastWriteNanos = System.nanoTime();

    /** Writes through {@code writer}; {@code onFailure} hears of the first write error. */
    public ControlWriter(FrameWriter writer, Consumer<IOException> onFailure) {
        this.writer = writer;
        this.onFailure = onFailure;
    }

    /** Starts the writer thread, which drains what other threads only queued. */
    public void start(SocketThreads threads, String name) {
        thread = threads.start(name, this::writeLoop);
    }

    /** When frames were last written, in {@link System#nanoTime()} terms. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Queues a session or flow-control frame for the writer thread; never waits. Dropped once closed. */
    public void send(Frame frame) {
        queueLock.lock();
        try {
            if (!closed) {
                queue.add(frame);
                frameQueued.signal();
            }
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Sends a stream's data frame: first waits while more than {@link #HIGH_WATER_BYTES} are queued, then
     * writes it at once if no other thread is writing, else leaves it to that writer.
     *
     * @return false when the writer is closed and the frame was dropped
     */
    public boolean sendData(Frame frame) throws InterruptedException {
        queueLock.lock();
        try {
            while (!closed && queuedDataBytes > HIGH_WATER_BYTES) {
                roomFreed.await();
            }
            if (closed) {
                return false;
            }
            queue.add(frame);
            queuedDataBytes += frame.length();
        } finally {
            queueLock.unlock();
        }
        writeOrLeave();
        return true;
    }

    /**
     * Sends a flow-control frame (WINDOW, FIN) from a stream's own thread: never waits for room, but
     * writes it at once if no other thread is writing, so the writer thread need not wake for it. Not for
     * the connection's reader, which must never block on a write: it uses {@link #send}.
     */
    public void sendFromStream(Frame frame) {
        queueLock.lock();
        try {
            if (closed) {
                return;
            }
            queue.add(frame);
        } finally {
            queueLock.unlock();
        }
        writeOrLeave();
    }

    /** Drains the queue on this thread if no other is writing; else makes sure the writer thread will. */
    private void writeOrLeave() {
        if (writeLock.tryLock()) {
            try {
                drain();
            } finally {
                writeLock.unlock();
            }
        }
        wakeWriterIfQueued();
    }

    private void writeLoop() {
        try {
            while (awaitQueued()) {
                writeLock.lock();
                try {
                    drain();
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until frames are queued; false once closed with nothing left to write. */
    private boolean awaitQueued() throws InterruptedException {
        queueLock.lock();
        try {
            while (!closed && queue.isEmpty()) {
                frameQueued.await();
            }
            return !queue.isEmpty();
        } finally {
            queueLock.unlock();
        }
    }

    /** With the write lock held: writes until the queue is empty, then flushes once. */
    private void drain() {
        try {
            boolean wrote = false;
            for (ArrayDeque<Frame> taken = takeQueued(); !taken.isEmpty(); taken = takeQueued()) {
                long dataBytes = 0;
                for (Frame frame = taken.poll(); frame != null; frame = taken.poll()) {
                    writer.write(frame);
                    if (frame.type() == FrameType.DATA) {
                        dataBytes += frame.length();
                    }
                    frame.release();
                }
                release(dataBytes);
                wrote = true;
            }
            if (wrote) {
                writer.flush();
                lastWriteNanos = System.nanoTime();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Swaps the queue for the empty batch deque, so producers never wait while frames are written. */
    private ArrayDeque<Frame> takeQueued() {
        queueLock.lock();
        try {
            ArrayDeque<Frame> taken = queue;
            queue = batch;
            batch = taken;
            return taken;
        } finally {
            queueLock.unlock();
        }
    }

    private void wakeWriterIfQueued() {
        queueLock.lock();
        try {
            if (!queue.isEmpty()) {
                frameQueued.signal();
            }
        } finally {
            queueLock.unlock();
        }
    }

    private void release(long dataBytes) {
        queueLock.lock();
        try {
            queuedDataBytes -= dataBytes;
            roomFreed.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    private void fail(IOException e) {
        close();
        onFailure.accept(e);
    }

    /** Writes what is queued, then stops the writer thread and waits for it (up to {@code timeoutMillis}). */
    public void drainAndClose(long timeoutMillis) throws InterruptedException {
        queueLock.lock();
        try {
            closed = true;
            frameQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            queueLock.unlock();
        }
        await(timeoutMillis);
    }

    /** Stops at once: queued frames are dropped. The caller closes the socket, which ends a blocked write. */
    @Override
    public void close() {
        queueLock.lock();
        try {
            closed = true;
            queue.clear();
            queuedDataBytes = 0;
            frameQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Waits for the writer thread to end. */
    public void await(long timeoutMillis) throws InterruptedException {
        if (thread != null) {
            thread.join(timeoutMillis);
        }
    }
}
