package rtunnel.relay;

import java.net.Socket;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import rtunnel.protocol.Frame;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/**
 * The state of one stream, shared by its two threads and the control connection's reader: the frames
 * waiting for the socket, both flow-control windows, the half-closes, and whether it has ended. No I/O
 * happens here; each change wakes only the thread that waits for it.
 */
final class StreamState {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled for the socket writer: a frame queued, the peer's FIN, or the end. */
    private final Condition forWriter = lock.newCondition();
    /** Signalled for the socket reader: more send window, or the end. */
    private final Condition forReader = lock.newCondition();
    private final ReceivedFrames received = new ReceivedFrames();
    /** Bytes the peer may still send before it needs a WINDOW from us. */
    private int receiveWindow = Protocol.INITIAL_WINDOW;
    /** Bytes we may still send before the peer grants more. */
    private long sendWindow = Protocol.INITIAL_WINDOW;
    private boolean peerFinished;
    private boolean socketReadDone;
    private boolean socketWriteDone;
    private boolean closed;
    private Socket socket;

    /** {@code name} appears in protocol errors, e.g. "stream 42". */
    StreamState(String name) {
        this.name = name;
    }

    /** DATA from the peer, checked against the window and queued (dropped once closed); true: start a writer. */
    boolean received(Frame frame) throws ProtocolException {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (peerFinished) {
                throw new ProtocolException("DATA on " + name + " after its FIN");
            }
            if (frame.length() > receiveWindow) {
                throw new ProtocolException("DATA of " + frame.length() + " bytes on " + name
                        + " exceeds its window of " + receiveWindow);
            }
            receiveWindow -= frame.length();
            received.add(frame);
            forWriter.signal();
            return received.takeParkedWriter();
        } finally {
            lock.unlock();
        }
    }

    /** The peer's FIN: the socket's write side is shut down once the queue drains; true: start a writer. */
    boolean peerFinished() throws ProtocolException {
        lock.lock();
        try {
            if (peerFinished) {
                throw new ProtocolException("second FIN on " + name);
            }
            peerFinished = true;
            forWriter.signal();
            return !closed && received.takeParkedWriter();
        } finally {
            lock.unlock();
        }
    }

    /** The peer's WINDOW. */
    void granted(int increment) throws ProtocolException {
        lock.lock();
        try {
            sendWindow += increment;
            if (sendWindow > Integer.MAX_VALUE) {
                throw new ProtocolException("WINDOW on " + name + " grows it past " + Integer.MAX_VALUE);
            }
            forReader.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next frame for the socket; null at the peer's FIN (queue drained) or when the stream has ended. */
    Frame nextReceived() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && received.isEmpty() && !peerFinished) {
                forWriter.await();
            }
            return closed ? null : received.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code idleNanos} for a frame, the FIN or the end. With none by then the writer parks: true,
     * and the caller ends; the next frame or FIN makes {@link #received} or {@link #peerFinished} say so.
     */
    boolean parkWhenIdle(long idleNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = idleNanos;
            while (!closed && received.isEmpty() && !peerFinished) {
                if (left <= 0) {
                    received.writerParked();
                    return true;
                }
                left = forWriter.awaitNanos(left);
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for send window; returns how much of {@code wanted} may be read now, or 0 when the stream ended. */
    int awaitSendWindow(int wanted) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && sendWindow <= 0) {
                forReader.await();
            }
            return closed ? 0 : (int) Math.min(sendWindow, wanted);
        } finally {
            lock.unlock();
        }
    }

    /** {@code count} bytes of send window are used by a frame about to be sent. */
    void spent(int count) {
        lock.lock();
        try {
            sendWindow -= count;
        } finally {
            lock.unlock();
        }
    }

    /** {@code count} bytes reached the socket: the peer may send that much more (the caller tells it). */
    void consumed(int count) {
        lock.lock();
        try {
            receiveWindow += count;
        } finally {
            lock.unlock();
        }
    }

    /** Records the stream's socket; false, when the stream already ended, and the caller must close it. */
    boolean attach(Socket opened) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            socket = opened;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether received bytes wait for the socket: it is slower than the peer, not the window. */
    boolean backlogged() {
        lock.lock();
        try {
            return !received.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream now. Returns true when this call ended it (false: it had already ended); then
     * {@link #socket()} is the socket to close, if any.
     */
    boolean end() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            received.clear();
            signalBoth();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that one direction finished cleanly (the socket's end-of-stream was sent on, or the peer's
     * FIN was passed to the socket). Returns true when that ends the stream, both directions being done.
     */
    boolean directionDone(boolean reading) {
        lock.lock();
        try {
            if (reading) {
                socketReadDone = true;
            } else {
                socketWriteDone = true;
            }
            if (closed || !socketReadDone || !socketWriteDone) {
                return false;
            }
            closed = true;
            signalBoth();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: wakes both threads, for a change both must see (the end of the stream). */
    private void signalBoth() {
        forWriter.signal();
        forReader.signal();
    }

    /** The stream's socket, or null before it was attached. */
    Socket socket() {
        lock.lock();
        try {
            return socket;
        } finally {
            lock.unlock();
        }
    }
}
