package rtunnel.relay;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import rtunnel.protocol.Frame;

/**
 * A {@link WriteQueue} shared by the threads of one connection: producers add frames, data producers wait
 * for room below {@link WriteQueue#HIGH_WATER_BYTES}, and the writer takes everything queued at once. After
 * {@link #close} nothing more is queued and nobody waits.
 */
final class SharedWriteQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition frameQueued = lock.newCondition();
    private final Condition roomFreed = lock.newCondition();
    private final WriteQueue queue = new WriteQueue();
    private boolean closed;

    /**
     * Queues a session or flow-control frame and wakes the writer; never waits. False when that takes the
     * queue over {@link WriteQueue#BUDGET_BYTES}; a frame offered once closed is dropped.
     */
    boolean add(Frame frame) {
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            boolean withinBudget = queue.add(frame);
            frameQueued.signal();
            return withinBudget;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code payload} as the one pong to send first, and wakes the writer. */
    void pong(byte[] payload) {
        lock.lock();
        try {
            if (!closed) {
                queue.pong(payload);
                frameQueued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code increment} to stream {@code streamId}'s pending grant, waking the writer when
     * {@code wakeWriter}; false when closed.
     */
    boolean window(int streamId, int increment, boolean wakeWriter) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            queue.window(streamId, increment);
            if (wakeWriter) {
                frameQueued.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits while more than {@link WriteQueue#HIGH_WATER_BYTES} are queued; returns at once once closed. */
    void awaitRoom() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && queue.bytes() > WriteQueue.HIGH_WATER_BYTES) {
                roomFreed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a stream's data frame without waking the writer (its own thread writes it next), once no more
     * than {@link WriteQueue#HIGH_WATER_BYTES} are queued; false when closed and the frame was dropped.
     */
    boolean addDataWhenRoom(Frame frame) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && queue.bytes() > WriteQueue.HIGH_WATER_BYTES) {
                roomFreed.await();
            }
            return addDataLocked(frame);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a stream's flow-control frame at once, without waking the writer; false when closed. */
    boolean addData(Frame frame) {
        lock.lock();
        try {
            return addDataLocked(frame);
        } finally {
            lock.unlock();
        }
    }

    private boolean addDataLocked(Frame frame) {
        if (closed) {
            return false;
        }
        queue.addData(frame);
        return true;
    }

    /** Waits until frames are queued; false once closed with nothing left to write. */
    boolean awaitQueued() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && queue.isEmpty()) {
                frameQueued.await();
            }
            return !queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Takes every queued frame in write order, so producers never wait while frames are written. */
    ArrayDeque<Frame> takeAll() {
        lock.lock();
        try {
            return queue.takeAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code bytes} of taken frames have been written: frees their room. */
    void written(long bytes) {
        lock.lock();
        try {
            queue.written(bytes);
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the writer if frames wait (their producer found another thread writing). */
    void wakeWriterIfQueued() {
        lock.lock();
        try {
            if (!queue.isEmpty()) {
                frameQueued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of frames waiting to be written, by their real size in memory. */
    long bytes() {
        lock.lock();
        try {
            return queue.bytes();
        } finally {
            lock.unlock();
        }
    }

    /** Queues nothing more and wakes every waiter; with {@code dropQueued} what waits is dropped too. */
    void close(boolean dropQueued) {
        lock.lock();
        try {
            closed = true;
            if (dropQueued) {
                queue.clear();
            }
            frameQueued.signalAll();
            roomFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
