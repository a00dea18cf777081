package rtunnel.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
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
     * On platform threads (Java 17-20), a socket writer with nothing to write for this long ends and the next
     * frame starts another, so an idle connection holds one thread (~100 KiB of touched stack and JVM state)
     * per side, not two. Virtual threads (Java 21+) cost ~1 KiB idle and never park.
     */
    static final long IDLE_WRITER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final int id;
    private final String label;
    private final StreamOwner owner;
    private final Runnable onEnded;
    private final StreamMeter meter;
    private final StreamState state;
    private final SocketReads reads;
    private final ReceiveWindow window;
    private volatile Worker socketReader;
    /** The socket writer now serving the stream; on platform threads, a new one after each idle spell. */
    private volatile Worker socketWriter;
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
        this.reads = new SocketReads(id, owner.buffers());
        this.window = new ReceiveWindow(owner.budget());
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

    /**
     * Like {@link #start}, from the control connection's reader: it does not wait while a thread is created,
     * and a stream that gets none is reset.
     */
    void startSoon(SocketSource source) {
        socketWriter = owner.threads().startSoon("rtunnel-stream-" + label + "-write", () -> writeSocket(source),
                reason -> abort(true, reason));
    }

    /** DATA from the peer, queued for the socket. */
    void onData(Frame frame) throws ProtocolException {
        if (state.received(frame)) {
            resumeWriter();
        }
    }

    /** The peer will send no more: once the queue drains, the socket's write side is shut down. */
    void onFin() throws ProtocolException {
        if (state.peerFinished()) {
            resumeWriter();
        }
    }

    /** A new socket writer for a stream whose writer parked, from the control reader: it must not wait. */
    private void resumeWriter() {
        Socket opened = state.socket();
        socketWriter = owner.threads().startSoon("rtunnel-stream-" + label + "-write", () -> writeFrames(opened),
                reason -> abort(true, reason));
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
            owner.send(new StreamReset(id, reason).toFrame());
        }
        log.debug("stream {}: reset: {}", label, reason);
        Socket socket = state.socket();
        if (socket != null) {
            SocketClosing.abruptly(socket);
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
            SocketClosing.abruptly(opened);
            return;
        }
        try {
            socketReader = owner.threads().start("rtunnel-stream-" + label + "-read", () -> readSocket(opened));
        } catch (RejectedExecutionException e) {
            abort(true, e.getMessage());
            return;
        }
        writeFrames(opened);
    }

    /**
     * Writes what the peer sent to the socket until its FIN or the end. On platform threads, a writer with
     * nothing to write for {@link #IDLE_WRITER_NANOS} ends (parks) and a later frame starts another.
     */
    private void writeFrames(Socket opened) {
        boolean parks = !owner.threads().virtual();
        try {
            OutputStream out = opened.getOutputStream();
            while (true) {
                if (parks && state.parkWhenIdle(IDLE_WRITER_NANOS)) {
                    return;
                }
                Frame frame = state.nextReceived();
                if (frame == null) {
                    break;
                }
                out.write(frame.buffer(), Protocol.HEADER_LENGTH, frame.length());
                frame.release();
                bytesToSocket += frame.length();
                meter.toSocket(frame.length());
                int grant = window.consumed(frame.length(), state.backlogged());
                if (grant > 0) {
                    state.consumed(grant);
                    owner.sendWindow(id, grant);
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

    private void readSocket(Socket opened) {
        try {
            InputStream in = opened.getInputStream();
            while (true) {
                owner.awaitRoom();
                int want = state.awaitSendWindow(reads.nextSize());
                if (want == 0) {
                    return;
                }
                Frame frame = reads.read(in, want);
                if (frame == null) {
                    owner.sendFromStream(Frame.empty(FrameType.FIN, id));
                    directionDone(true);
                    return;
                }
                int count = frame.length();
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

    /** One direction ended cleanly; when both have, the socket closes and the stream ends. */
    private void directionDone(boolean reading) {
        if (!state.directionDone(reading)) {
            return;
        }
        SocketClosing.close(state.socket());
        log.debug("stream {}: closed after {} bytes in, {} bytes out", label, bytesFromSocket, bytesToSocket);
        ended();
    }

    private void ended() {
        window.release();
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
}
