package rtunnel.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameWriter;

/**
 * Writes a control connection. Frames are queued ({@link WriteQueue}), and whoever holds the write lock
 * drains the queue in one go and flushes once, so small frames leave together. A stream's reader thread that
 * finds the connection free writes its data (and its window updates) itself, with no hand-off and no
 * wake-up; when another thread is writing, its frame joins the queue that writer drains. Frames from the
 * connection's own reader (window updates, pongs, resets) are only queued and left to the writer thread:
 * that reader must never block on a write.
 */
public final class ControlWriter implements AutoCloseable {

    private final FrameWriter writer;
    private final Consumer<String> onFailure;
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition frameQueued = queueLock.newCondition();
    private final Condition roomFreed = queueLock.newCondition();
    /** Held by whichever thread is writing to the connection; guards {@link #writer}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final WriteQueue queue = new WriteQueue();
    private boolean closed;
    private boolean failed;
    private Worker thread;
    private volatile long lastWriteNanos = System.nanoTime();
    /** When the write now under way began (0: none), so a peer that has stopped reading can be told apart. */
    private volatile long writeStartedNanos;

    /**
     * Writes through {@code writer}; {@code onFailure} hears why, once, when a write fails or the queue goes
     * over its budget.
     */
    public ControlWriter(FrameWriter writer, Consumer<String> onFailure) {
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

    /**
     * How long the write now under way has been blocked at {@code now}: the peer takes no bytes while it
     * grows. 0 when nothing is being written.
     */
    public long writeBlockedNanos(long now) {
        long started = writeStartedNanos;
        return started == 0 ? 0 : Math.max(0, now - started);
    }

    /** Bytes of frames waiting to be written, by their real size in memory. */
    public long queuedBytes() {
        queueLock.lock();
        try {
            return queue.bytes();
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Queues a session or flow-control frame for the writer thread; never waits. Dropped once closed. A
     * queue that grows past {@link WriteQueue#BUDGET_BYTES} this way means the peer does not read what it
     * asks for: the connection fails.
     */
    public void send(Frame frame) {
        boolean overBudget;
        queueLock.lock();
        try {
            if (closed) {
                return;
            }
            overBudget = !queue.add(frame);
            frameQueued.signal();
        } finally {
            queueLock.unlock();
        }
        if (overBudget) {
            fail("peer is not reading: " + queuedBytes() + " bytes queued for it, over the budget of "
                    + WriteQueue.BUDGET_BYTES);
        }
    }

    /** Answers a PING: ahead of everything queued, and only the latest one if several wait. Never waits. */
    public void sendPong(byte[] payload) {
        queueLock.lock();
        try {
            if (!closed) {
                queue.pong(payload);
                frameQueued.signal();
            }
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Grants the peer {@code increment} more bytes on stream {@code streamId}; grants that wait in the queue
     * for one stream add up into one frame. With {@code writeNow} (a stream's own thread, never the reader)
     * it is written at once when no other thread is writing.
     */
    public void sendWindow(int streamId, int increment, boolean writeNow) {
        queueLock.lock();
        try {
            if (closed) {
                return;
            }
            queue.window(streamId, increment);
            if (!writeNow) {
                frameQueued.signal();
            }
        } finally {
            queueLock.unlock();
        }
        if (writeNow) {
            writeOrLeave();
        }
    }

    /** Waits while more than {@link WriteQueue#HIGH_WATER_BYTES} are queued; returns at once once closed. */
    public void awaitRoom() throws InterruptedException {
        queueLock.lock();
        try {
            while (!closed && queue.bytes() > WriteQueue.HIGH_WATER_BYTES) {
                roomFreed.await();
            }
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Sends a stream's data frame: first waits while more than {@link WriteQueue#HIGH_WATER_BYTES} are
     * queued, then writes it at once if no other thread is writing, else leaves it to that writer.
     *
     * @return false when the writer is closed and the frame was dropped
     */
    public boolean sendData(Frame frame) throws InterruptedException {
        queueLock.lock();
        try {
            while (!closed && queue.bytes() > WriteQueue.HIGH_WATER_BYTES) {
                roomFreed.await();
            }
            if (closed) {
                return false;
            }
            queue.addData(frame);
        } finally {
            queueLock.unlock();
        }
        writeOrLeave();
        return true;
    }

    /**
     * Sends a flow-control frame (FIN) from a stream's own thread: never waits for room, but writes it at
     * once if no other thread is writing, so the writer thread need not wake for it. Not for the
     * connection's reader, which must never block on a write: it uses {@link #send}.
     */
    public void sendFromStream(Frame frame) {
        queueLock.lock();
        try {
            if (closed) {
                return;
            }
            queue.addData(frame);
        } finally {
            queueLock.unlock();
        }
        writeOrLeave();
    }

    /** Drains the queue on this thread if no other is writing; else makes sure the writer thread will. */
    private void writeOrLeave() {
        IOException failed = null;
        if (writeLock.tryLock()) {
            try {
                failed = drain();
            } finally {
                writeLock.unlock();
            }
        }
        if (failed != null) {
            fail("writing failed: " + failed.getMessage());
            return;
        }
        wakeWriterIfQueued();
    }

    private void writeLoop() {
        try {
            while (awaitQueued()) {
                IOException failed;
                writeLock.lock();
                try {
                    failed = drain();
                } finally {
                    writeLock.unlock();
                }
                if (failed != null) {
                    fail("writing failed: " + failed.getMessage());
                    return;
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

    /**
     * With the write lock held: writes until the queue is empty, then flushes once. Returns the write error,
     * if any, for the caller to report once it no longer holds the lock.
     */
    private IOException drain() {
        try {
            boolean wrote = false;
            for (ArrayDeque<Frame> taken = takeQueued(); !taken.isEmpty(); taken = takeQueued()) {
                long bytes = 0;
                for (Frame frame = taken.poll(); frame != null; frame = taken.poll()) {
                    bytes += WriteQueue.memory(frame);
                    writeStartedNanos = System.nanoTime();
                    writer.write(frame);
                    frame.release();
                }
                release(bytes);
                wrote = true;
            }
            if (wrote) {
                writeStartedNanos = System.nanoTime();
                writer.flush();
                lastWriteNanos = System.nanoTime();
            }
            return null;
        } catch (IOException e) {
            return e;
        } finally {
            writeStartedNanos = 0;
        }
    }

    /** Takes every queued frame in write order, so producers never wait while frames are written. */
    private ArrayDeque<Frame> takeQueued() {
        queueLock.lock();
        try {
            return queue.takeAll();
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

    private void release(long bytes) {
        queueLock.lock();
        try {
            queue.written(bytes);
            roomFreed.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Stops the writer and tells the owner why, once; called with no lock held. */
    private void fail(String reason) {
        boolean first;
        queueLock.lock();
        try {
            first = !failed;
            failed = true;
        } finally {
            queueLock.unlock();
        }
        close();
        if (first) {
            onFailure.accept(reason);
        }
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
