package rtunnel.relay;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A control connection's input, watched for liveness: how long the reader has been waiting in a read, and
 * whether bytes sit unread in the socket. A reader that is busy or starved of CPU is not waiting, so load on
 * this side can never make a live peer look silent.
 */
final class WatchedInput extends InputStream {

    private final InputStream in;
    /** When the read now blocked began (0: the reader is not in a read). */
    private volatile long waitingSinceNanos;
    /** Reads that brought bytes, so far: a waiter for the peer's next word watches it grow. */
    private final AtomicLong arrivals = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Whether anyone waits in {@link #awaitArrival}: only then does a read take the lock to wake them. */
    private volatile boolean watched;

    WatchedInput(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        waitingSinceNanos = System.nanoTime();
        int read;
        try {
            read = in.read();
        } finally {
            waitingSinceNanos = 0;
        }
        if (read >= 0) {
            arrived();
        }
        return read;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        waitingSinceNanos = System.nanoTime();
        int count;
        try {
            count = in.read(buffer, offset, length);
        } finally {
            waitingSinceNanos = 0;
        }
        if (count > 0) {
            arrived();
        }
        return count;
    }

    private void arrived() {
        arrivals.incrementAndGet();
        if (watched) {
            lock.lock();
            try {
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** How many reads have brought bytes so far; pass it to {@link #awaitArrival}. */
    long arrivals() {
        return arrivals.get();
    }

    /** Waits up to {@code nanos} for bytes to arrive after {@code seen} arrivals; true when they did. */
    boolean awaitArrival(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            watched = true;
            long left = nanos;
            while (arrivals.get() == seen && left > 0) {
                left = arrived.awaitNanos(left);
            }
            return arrivals.get() != seen;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /**
     * How long the peer has provably sent nothing, at {@code now}: how long the reader has been waiting in a
     * read with no byte arrived meanwhile. 0 while the reader is busy elsewhere, or while bytes wait unread
     * (they arrived; this side is just slow to read them).
     */
    long silentNanos(long now) {
        long since = waitingSinceNanos;
        if (since == 0) {
            return 0;
        }
        try {
            if (in.available() > 0) {
                return 0;
            }
        } catch (IOException e) {
            // A closed socket: its reader is about to fail and end the session, so silence is moot.
            return 0;
        }
        return Math.max(0, now - since);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
