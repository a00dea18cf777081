package rtunnel.relay;

import java.net.Socket;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/**
 * The state of one stream, shared by its two threads and the control connection's reader: the frames
 * waiting for the socket, both flow-control windows, the half-closes, and whether it has ended. No I/O
 * happens here; each change wakes only the thread that waits for it.
 */
final class StreamState {

    /**
     * DATA frames smaller than this are copied together into one buffer while they wait for the socket:
     * a peer (or a visitor behind it) trickling one-byte frames would otherwise make this side hold a frame
     * object and buffer of ~100 bytes per byte of window.
     */
    static final int SMALL_FRAME_BYTES = 2 * 1024;

    /** The largest buffer small frames are gathered into: a few system calls' worth for the socket writer. */
    static final int GATHER_BYTES = 16 * 1024;

    /** The first gather buffer while the socket keeps up: an interactive stream's keystroke, not 16 KiB. */
    private static final int FIRST_GATHER_BYTES = 512;

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled for the socket writer: a frame queued, the peer's FIN, or the end. */
    private final Condition forWriter = lock.newCondition();
    /** Signalled for the socket reader: more send window, or the end. */
    private final Condition forReader = lock.newCondition();
    private final ArrayDeque<Frame> received = new ArrayDeque<>();
    /** Small frames' bytes not yet queued, at payload offset; null when none wait. */
    private byte[] gather;
    private int gathered;
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

    /** DATA from the peer: checked against the window, then queued for the socket. Dropped once closed. */
    void received(Frame frame) throws ProtocolException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (peerFinished) {
                throw new ProtocolException("DATA on " + name + " after its FIN");
            }
            if (frame.length() > receiveWindow) {
                throw new ProtocolException("DATA of " + frame.length() + " bytes on " + name
                        + " exceeds its window of " + receiveWindow);
            }
            receiveWindow -= frame.length();
            if (frame.length() < SMALL_FRAME_BYTES) {
                gather(frame);
            } else {
                queueGathered();
                received.add(frame);
            }
            forWriter.signal();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: copies a small frame's bytes behind those gathered before. */
    private void gather(Frame frame) {
        int length = frame.length();
        if (gather != null && gathered + length > gather.length - Frame.bufferSize(0)) {
            queueGathered();
        }
        if (gather == null) {
            int capacity = Math.max(length, received.isEmpty() ? FIRST_GATHER_BYTES : GATHER_BYTES);
            gather = new byte[Frame.bufferSize(capacity)];
        }
        System.arraycopy(frame.buffer(), Protocol.HEADER_LENGTH, gather, Protocol.HEADER_LENGTH + gathered, length);
        gathered += length;
        frame.release();
    }

    /** With the lock held: queues the gathered bytes as one frame, behind everything queued before them. */
    private void queueGathered() {
        if (gathered > 0) {
            // The socket writer uses only the bytes; the stream id stays with the stream.
            received.add(new Frame(FrameType.DATA, 0, gather, gathered));
        }
        gather = null;
        gathered = 0;
    }

    /** The peer's FIN: once the queue drains, the socket's write side is shut down. */
    void peerFinished() throws ProtocolException {
        lock.lock();
        try {
            if (peerFinished) {
                throw new ProtocolException("second FIN on " + name);
            }
            peerFinished = true;
            forWriter.signal();
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
            while (!closed && received.isEmpty() && gathered == 0 && !peerFinished) {
                forWriter.await();
            }
            if (received.isEmpty()) {
                queueGathered();
            }
            return closed ? null : received.poll();
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
            return !received.isEmpty() || gathered > 0;
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
            gather = null;
            gathered = 0;
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
