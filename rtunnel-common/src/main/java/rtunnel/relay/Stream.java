package rtunnel.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.StreamReset;

/**
 * One tunnelled TCP connection, relayed between a local socket and the control connection. Two threads
 * serve it: one reads the socket into data frames (within the peer's window), one writes the frames the
 * peer sent to the socket (and grants window as it goes). The control connection's reader only queues.
 */
public final class Stream {

    private static final Logger log = LoggerFactory.getLogger(Stream.class);

    /**
     * The most window one stream grows to: enough to keep a fast link full between window updates (measured
     * on loopback, where 512 KiB already ran at full speed). It starts at {@link Protocol#INITIAL_WINDOW}
     * and doubles with each grant while the socket keeps up and the session's {@link WindowBudget} has room,
     * as TCP's slow start does, so a stalled or idle visitor never holds more than the initial window.
     */
    static final int MAX_WINDOW = 1024 * 1024;

    private final int id;
    private final String label;
    private final StreamOwner owner;
    private final Runnable onEnded;
    private final StreamMeter meter;
    private final StreamState state;
    private final ReadSize readSize = new ReadSize();
    /** Window bytes this stream holds of the session's budget; given back, once, when it ends. */
    private final AtomicLong reserved = new AtomicLong(Protocol.INITIAL_WINDOW);
    /** The receive window now: grants are due at half of it. Only the socket writer touches it. */
    private int window = Protocol.INITIAL_WINDOW;
    private Worker socketReader;
    private Worker socketWriter;
    private volatile long bytesFromSocket;
    private volatile long bytesToSocket;

    /** A stream that already holds {@link Protocol#INITIAL_WINDOW} of its owner's {@link WindowBudget}. */
    Stream(int id, String label, StreamOwner owner, Runnable onEnded, StreamMeter meter) {
        this.id = id;
        this.label = label;
        this.owner = owner;
        this.onEnded = onEnded;
        this.meter = meter;
        this.state = new StreamState("stream " + Integer.toUnsignedString(id));
    }

    public int id() {
        return id;
    }

    /**
     * Starts relaying: opens the socket on the stream's writer thread, then starts its reader thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException when no thread can be started for it
     */
    void start(SocketSource source) {
        socketWriter = owner.threads().start("rtunnel-stream-" + label + "-write", () -> writeSocket(source));
    }

    /** DATA from the peer, queued for the socket. */
    void onData(Frame frame) throws ProtocolException {
        state.received(frame);
    }

    /** The peer will send no more: once the queue drains, the socket's write side is shut down. */
    void onFin() throws ProtocolException {
        state.peerFinished();
    }

    /** The peer granted more window. */
    void onWindow(int increment) throws ProtocolException {
        state.granted(increment);
    }

    /** Ends the stream at once. With {@code tellPeer}, a RESET carrying {@code reason} goes to the peer. */
    void abort(boolean tellPeer, String reason) {
        if (!state.end()) {
            return;
        }
        if (tellPeer) {
            owner.sendControl(new StreamReset(id, reason).toFrame());
        }
        log.debug("stream {}: reset: {}", label, reason);
        Socket socket = state.socket();
        if (socket != null) {
            closeAbruptly(socket);
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
        if (!state.attach(opened)) {
            closeAbruptly(opened);
            return;
        }
        try {
            socketReader = owner.threads().start("rtunnel-stream-" + label + "-read", () -> readSocket(opened));
        } catch (RejectedExecutionException e) {
            abort(true, e.getMessage());
            return;
        }
        try {
            OutputStream out = opened.getOutputStream();
            int ungranted = 0;
            for (Frame frame = state.nextReceived(); frame != null; frame = state.nextReceived()) {
                out.write(frame.buffer(), Protocol.HEADER_LENGTH, frame.length());
                frame.release();
                bytesToSocket += frame.length();
                meter.toSocket(frame.length());
                ungranted += frame.length();
                if (ungranted >= window / 2) {
                    int grant = ungranted + grow();
                    state.consumed(grant);
                    owner.sendWindow(id, grant);
                    ungranted = 0;
                }
            }
            if (state.isOpen()) {
                opened.shutdownOutput();
                directionDone(false);
            }
        } catch (IOException e) {
            abort(true, "write to " + opened.getRemoteSocketAddress() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            abort(true, "interrupted");
        }
    }

    /**
     * More window, when the socket keeps up with the peer (so the window is what limits the stream) and the
     * session's budget has room: the window doubles. 0 otherwise.
     */
    private int grow() {
        int more = window;
        if (more >= MAX_WINDOW || state.backlogged() || !owner.budget().tryTake(more)) {
            return 0;
        }
        reserved.addAndGet(more);
        window += more;
        if (!state.isOpen()) {
            // Ended meanwhile: ended() may already have given back what it saw, so give back the rest.
            owner.budget().giveBack(reserved.getAndSet(0));
        }
        return more;
    }

    private void readSocket(Socket opened) {
        try {
            InputStream in = opened.getInputStream();
            while (true) {
                owner.awaitRoom();
                int want = state.awaitSendWindow(readSize.next());
                if (want == 0) {
                    return;
                }
                Frame frame = readFrame(in, want);
                if (frame == null) {
                    owner.sendFromStream(Frame.empty(FrameType.FIN, id));
                    directionDone(true);
                    return;
                }
                int count = frame.length();
                readSize.record(count, want);
                bytesFromSocket += count;
                meter.fromSocket(count);
                state.spent(count);
                if (!owner.sendData(frame)) {
                    return;
                }
            }
        } catch (SocketException e) {
            if (state.isOpen()) {
                abort(true, "read from " + opened.getRemoteSocketAddress() + " failed: " + e.getMessage());
            }
        } catch (IOException e) {
            abort(true, "read from " + opened.getRemoteSocketAddress() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            abort(true, "interrupted");
        }
    }

    /**
     * Reads what the socket has, up to {@code want} bytes, into a data frame; null at end of stream. A busy
     * stream reads into a pooled buffer, which the control connection's writer gives back once it is sent.
     * While reads come back small (an idle or interactive connection) it first waits for a single byte and
     * only then sizes the buffer to what has arrived, so an idle stream blocks in read holding no buffer:
     * that is most of the memory of ten thousand idle connections.
     */
    private Frame readFrame(InputStream in, int want) throws IOException {
        if (!readSize.isSmall()) {
            FrameBuffers buffers = owner.buffers();
            byte[] buffer = buffers.take();
            int count = in.read(buffer, Protocol.HEADER_LENGTH, want);
            if (count < 0) {
                buffers.give(buffer);
                return null;
            }
            return new Frame(FrameType.DATA, id, buffer, count, buffers);
        }
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int more = Math.min(in.available(), want - 1);
        byte[] buffer = new byte[Frame.bufferSize(1 + more)];
        buffer[Protocol.HEADER_LENGTH] = (byte) first;
        int count = 1;
        if (more > 0) {
            int got = in.read(buffer, Protocol.HEADER_LENGTH + 1, more);
            count += Math.max(got, 0);
        }
        return new Frame(FrameType.DATA, id, buffer, count);
    }

    /** One direction ended cleanly; when both have, the socket closes and the stream ends. */
    private void directionDone(boolean reading) {
        if (!state.directionDone(reading)) {
            return;
        }
        closeQuietly(state.socket());
        log.debug("stream {}: closed after {} bytes in, {} bytes out", label, bytesFromSocket, bytesToSocket);
        ended();
    }

    private void ended() {
        owner.budget().giveBack(reserved.getAndSet(0));
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
