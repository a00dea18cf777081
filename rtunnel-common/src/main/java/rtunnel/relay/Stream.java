package rtunnel.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.StreamReset;
import rtunnel.protocol.WindowUpdate;

/**
 * One tunnelled TCP connection, relayed between a local socket and the control connection. Two threads
 * serve it: one reads the socket into data frames (within the peer's window), one writes the frames the
 * peer sent to the socket (and grants window as it goes). The control connection's reader only queues.
 */
public final class Stream {

    private static final Logger log = LoggerFactory.getLogger(Stream.class);

    /** Grant window back once this much has reached the socket: half the window keeps the pipe full. */
    private static final int WINDOW_UPDATE_THRESHOLD = Protocol.INITIAL_WINDOW / 2;

    private final int id;
    private final String label;
    private final StreamOwner owner;
    private final Runnable onEnded;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Frame> received = new ArrayDeque<>();
    private final ReadSize readSize = new ReadSize();
    private int receiveWindow = Protocol.INITIAL_WINDOW;
    private long sendWindow = Protocol.INITIAL_WINDOW;
    private boolean peerFinished;
    private boolean socketReadDone;
    private boolean socketWriteDone;
    private boolean closed;
    private Socket socket;
    private Worker socketReader;
    private Worker socketWriter;
    private volatile long bytesFromSocket;
    private volatile long bytesToSocket;

    Stream(int id, String label, StreamOwner owner, Runnable onEnded) {
        this.id = id;
        this.label = label;
        this.owner = owner;
        this.onEnded = onEnded;
    }

    public int id() {
        return id;
    }

    /** Starts relaying: opens the socket on the stream's writer thread, then starts its reader thread. */
    void start(SocketSource source) {
        socketWriter = owner.threads().start("rtunnel-stream-" + label + "-write", () -> writeSocket(source));
    }

    /** DATA from the peer, queued for the socket. */
    void onData(Frame frame) throws ProtocolException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (peerFinished) {
                throw new ProtocolException("DATA on stream " + Integer.toUnsignedString(id) + " after its FIN");
            }
            if (frame.length() > receiveWindow) {
                throw new ProtocolException("DATA of " + frame.length() + " bytes on stream " + Integer.toUnsignedString(id)
                        + " exceeds its window of " + receiveWindow);
            }
            receiveWindow -= frame.length();
            received.add(frame);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The peer will send no more: once the queue drains, the socket's write side is shut down. */
    void onFin() throws ProtocolException {
        lock.lock();
        try {
            if (peerFinished) {
                throw new ProtocolException("second FIN on stream " + Integer.toUnsignedString(id));
            }
            peerFinished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The peer granted more window. */
    void onWindow(int increment) throws ProtocolException {
        lock.lock();
        try {
            sendWindow += increment;
            if (sendWindow > Integer.MAX_VALUE) {
                throw new ProtocolException("WINDOW on stream " + Integer.toUnsignedString(id) + " grows it past " + Integer.MAX_VALUE);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream at once. With {@code tellPeer}, a RESET carrying {@code reason} goes to the peer. */
    void abort(boolean tellPeer, String reason) {
        Socket toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            received.clear();
            toClose = socket;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (tellPeer) {
            owner.sendControl(new StreamReset(id, reason).toFrame());
        }
        log.debug("stream {}: reset: {}", label, reason);
        if (toClose != null) {
            closeAbruptly(toClose);
        }
        ended();
    }

    /** Waits up to {@code millis} for both of the stream's threads to end. */
    void await(long millis) throws InterruptedException {
        for (Worker worker : new Worker[] {socketWriter, socketReader}) {
            if (worker != null) {
                worker.join(millis);
            }
        }
    }

    private void writeSocket(SocketSource source) {
        Socket opened;
        try {
            opened = source.open();
        } catch (IOException e) {
            abort(true, e.getMessage());
            return;
        }
        if (!attach(opened)) {
            return;
        }
        socketReader = owner.threads().start("rtunnel-stream-" + label + "-read", () -> readSocket(opened));
        try {
            OutputStream out = opened.getOutputStream();
            int ungranted = 0;
            for (Frame frame = nextReceived(); frame != null; frame = nextReceived()) {
                out.write(frame.buffer(), Protocol.HEADER_LENGTH, frame.length());
                bytesToSocket += frame.length();
                ungranted += frame.length();
                if (ungranted >= WINDOW_UPDATE_THRESHOLD) {
                    grant(ungranted);
                    ungranted = 0;
                }
            }
            if (isOpen()) {
                opened.shutdownOutput();
                finishedWriting();
            }
        } catch (IOException e) {
            abort(true, "write to " + opened.getRemoteSocketAddress() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            abort(true, "interrupted");
        }
    }

    private void readSocket(Socket opened) {
        try {
            InputStream in = opened.getInputStream();
            while (true) {
                int want = awaitSendWindow();
                if (want == 0) {
                    return;
                }
                byte[] buffer = new byte[Frame.bufferSize(want)];
                int count = in.read(buffer, Protocol.HEADER_LENGTH, want);
                if (count < 0) {
                    owner.sendControl(Frame.empty(FrameType.FIN, id));
                    finishedReading();
                    return;
                }
                readSize.record(count, want);
                bytesFromSocket += count;
                consumeSendWindow(count);
                if (!owner.sendData(new Frame(FrameType.DATA, id, buffer, count))) {
                    return;
                }
            }
        } catch (SocketException e) {
            if (isOpen()) {
                abort(true, "read from " + opened.getRemoteSocketAddress() + " failed: " + e.getMessage());
            }
        } catch (IOException e) {
            abort(true, "read from " + opened.getRemoteSocketAddress() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            abort(true, "interrupted");
        }
    }

    private boolean attach(Socket opened) {
        lock.lock();
        try {
            if (!closed) {
                socket = opened;
                return true;
            }
        } finally {
            lock.unlock();
        }
        closeAbruptly(opened);
        return false;
    }

    /** The next frame for the socket, or null at the peer's FIN or when the stream is closed. */
    private Frame nextReceived() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && received.isEmpty() && !peerFinished) {
                changed.await();
            }
            return closed ? null : received.poll();
        } finally {
            lock.unlock();
        }
    }

    /** How many bytes the next read may take: within the peer's window and the adaptive size; 0 if closed. */
    private int awaitSendWindow() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && sendWindow <= 0) {
                changed.await();
            }
            return closed ? 0 : (int) Math.min(sendWindow, readSize.next());
        } finally {
            lock.unlock();
        }
    }

    private void consumeSendWindow(int count) {
        lock.lock();
        try {
            sendWindow -= count;
        } finally {
            lock.unlock();
        }
    }

    private void grant(int count) {
        lock.lock();
        try {
            receiveWindow += count;
        } finally {
            lock.unlock();
        }
        owner.sendControl(new WindowUpdate(id, count).toFrame());
    }

    private boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private void finishedReading() {
        finished(true);
    }

    private void finishedWriting() {
        finished(false);
    }

    /** Records that one direction has ended cleanly; when both have, the socket closes and the stream ends. */
    private void finished(boolean reading) {
        Socket toClose;
        lock.lock();
        try {
            if (reading) {
                socketReadDone = true;
            } else {
                socketWriteDone = true;
            }
            if (closed || !socketReadDone || !socketWriteDone) {
                return;
            }
            closed = true;
            toClose = socket;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(toClose);
        log.debug("stream {}: closed after {} bytes in, {} bytes out", label, bytesFromSocket, bytesToSocket);
        ended();
    }

    private void ended() {
        owner.streamEnded(this);
        onEnded.run();
    }

    /** Bytes read from the local socket so far. */
    public long bytesFromSocket() {
        return bytesFromSocket;
    }

    /** Bytes written to the local socket so far. */
    public long bytesToSocket() {
        return bytesToSocket;
    }

    /** Closes {@code socket} with a TCP reset, so the other end learns the connection was aborted. */
    static void closeAbruptly(Socket socket) {
        try {
            // A reset, not a FIN: the other end must learn the stream was aborted, not finished.
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            log.debug("cannot set SO_LINGER before reset: {}", e.getMessage());
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing {} failed: {}", socket, e.getMessage());
        }
    }
}
