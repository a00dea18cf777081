package rtunnel.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** Held by whichever thread is writing to the connection; guards {@link #writer}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final SharedWriteQueue queue = new SharedWriteQueue();
    private final AtomicBoolean failed = new AtomicBoolean();
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
        return queue.bytes();
    }

    /**
     * Queues a session or flow-control frame for the writer thread; never waits. Dropped once closed. A
     * queue that grows past {@link WriteQueue#BUDGET_BYTES} this way means the peer does not read what it
     * asks for: the connection fails.
     */
    public void send(Frame frame) {
        if (!queue.add(frame)) {
            fail("peer is not reading: " + queuedBytes() + " bytes queued for it, over the budget of "
                    + WriteQueue.BUDGET_BYTES);
        }
    }

    /** Answers a PING: ahead of everything queued, and only the latest one if several wait. Never waits. */
    public void sendPong(byte[] payload) {
        queue.pong(payload);
    }

    /**
     * Grants the peer {@code increment} more bytes on stream {@code streamId}; grants that wait in the queue
     * for one stream add up into one frame. With {@code writeNow} (a stream's own thread, never the reader)
     * it is written at once when no other thread is writing.
     */
    public void sendWindow(int streamId, int increment, boolean writeNow) {
        if (queue.window(streamId, increment, !writeNow) && writeNow) {
            writeOrLeave();
        }
    }

    /** Waits while more than {@link WriteQueue#HIGH_WATER_BYTES} are queued; returns at once once closed. */
    public void awaitRoom() throws InterruptedException {
        queue.awaitRoom();
    }

    /**
     * Sends a stream's data frame: first waits while more than {@link WriteQueue#HIGH_WATER_BYTES} are
     * queued, then writes it at once if no other thread is writing, else leaves it to that writer.
     *
     * @return false when the writer is closed and the frame was dropped
     */
    public boolean sendData(Frame frame) throws InterruptedException {
        if (!queue.addDataWhenRoom(frame)) {
            return false;
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
        if (queue.addData(frame)) {
            writeOrLeave();
        }
    }

    /** Drains the queue on this thread if no other is writing; else makes sure the writer thread will. */
    private void writeOrLeave() {
        IOException failure = null;
        if (writeLock.tryLock()) {
            try {
                failure = drain();
            } finally {
                writeLock.unlock();
            }
        }
        if (failure != null) {
            fail("writing failed: " + failure.getMessage());
            return;
        }
        queue.wakeWriterIfQueued();
    }

    private void writeLoop() {
        try {
            while (queue.awaitQueued()) {
                IOException failure;
                writeLock.lock();
                try {
                    failure = drain();
                } finally {
                    writeLock.unlock();
                }
                if (failure != null) {
                    fail("writing failed: " + failure.getMessage());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * With the write lock held: writes until the queue is empty, then flushes once. Returns the write error,
     * if any, for the caller to report once it no longer holds the lock.
     */
    private IOException drain() {
        try {
            boolean wrote = false;
            for (ArrayDeque<Frame> taken = queue.takeAll(); !taken.isEmpty(); taken = queue.takeAll()) {
                long bytes = 0;
                for (Frame frame = taken.poll(); frame != null; frame = taken.poll()) {
                    bytes += WriteQueue.memory(frame);
                    writeStartedNanos = System.nanoTime();
                    writer.write(frame);
                    frame.release();
                }
                queue.written(bytes);
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

    /** Stops the writer and tells the owner why, once; called with no lock held. */
    private void fail(String reason) {
        boolean first = failed.compareAndSet(false, true);
        close();
        if (first) {
            onFailure.accept(reason);
        }
    }

    /** Writes what is queued, then stops the writer thread and waits for it (up to {@code timeoutMillis}). */
    public void drainAndClose(long timeoutMillis) throws InterruptedException {
        queue.close(false);
        await(timeoutMillis);
    }

    /** Stops at once: queued frames are dropped. The caller closes the socket, which ends a blocked write. */
    @Override
    public void close() {
        queue.close(true);
    }

    /** Waits for the writer thread to end. */
    public void await(long timeoutMillis) throws InterruptedException {
        if (thread != null) {
            thread.join(timeoutMillis);
        }
    }
}
