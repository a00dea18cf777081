package rtunnel.relay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;

/**
 * One control connection, for the client and the server alike: the socket, its frame reader and writer, the
 * multiplexer of its streams, the keep-alive that judges the peer, the memory the peer may make it hold, and
 * the teardown. The owner runs the handshake over {@link #reader()} and {@link #writer()}, then
 * {@link #start}s the session and {@link #run()}s it on its own thread, and finally {@link #close()}s it there.
 */
public final class ControlConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlConnection.class);

    /**
     * Buffer on the writing side of a control socket. Smaller than a full frame on purpose: small frames
     * gather in it and leave in one write, while bulk frames are larger and bypass it, so their bytes are not
     * copied. The reading side buffers in {@link FrameReader} on the same lines.
     */
    public static final int WRITE_BUFFER_BYTES = 16 * 1024;

    /** How long close() waits for the writer thread, which only needs to notice its closed socket. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    /**
     * Idle frame buffers a connection keeps for reuse (64 KiB each, 1 MiB in all): enough for a few busy
     * streams' frames in flight both ways. Held only after bulk data has flowed; idle streams hold none.
     */
    static final int POOLED_FRAME_BUFFERS = 16;

    private final Socket socket;
    private final String name;
    private final SocketThreads threads;
    private final WatchedInput input;
    private final FrameBuffers buffers = new FrameBuffers(POOLED_FRAME_BUFFERS);
    private final FrameReader reader;
    private final FrameWriter writer;
    private final WindowBudget budget;
    private final Consumer<String> onEnd;
    private final AtomicReference<String> endReason = new AtomicReference<>();
    private volatile ControlWriter controlWriter;
    private volatile Multiplexer multiplexer;
    private volatile KeepAlive keepAlive;

    /**
     * A connection over {@code socket}, named {@code name} in logs and thread names ("client 203.0.113.5:4242").
     * Streams' windows come out of {@code budget}. {@code onEnd} hears, once, why the connection ended when it
     * ends by itself or by {@link #end}: a dead peer, a failed write, a peer that does not read.
     */
    public ControlConnection(Socket socket, String name, SocketThreads threads, WindowBudget budget,
            Consumer<String> onEnd) throws IOException {
        this.socket = socket;
        this.name = name;
        this.threads = threads;
        this.budget = budget;
        this.onEnd = onEnd;
        socket.setTcpNoDelay(true);
        this.input = new WatchedInput(socket.getInputStream());
        this.reader = new FrameReader(input, buffers);
        this.writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), WRITE_BUFFER_BYTES));
    }

    /** The frame reader, for the handshake; after {@link #start} only the session's own thread reads. */
    public FrameReader reader() {
        return reader;
    }

    /** The frame writer, for the handshake only; after {@link #start} every frame goes through the queue. */
    public FrameWriter writer() {
        return writer;
    }

    /**
     * After the handshake: starts the writer thread and the keep-alive (a PING after {@code pingAfter} of our
     * silence; the peer is dead after {@code deadAfter} of its silence or of our blocked writes). Returns the
     * multiplexer to open and accept streams on.
     */
    public Multiplexer start(SessionHandler handler, Duration pingAfter, Duration deadAfter, Timer timer) {
        ControlWriter queued = new ControlWriter(writer, this::end);
        Multiplexer mux = new Multiplexer(name, reader, queued, threads, buffers, budget);
        mux.handleSessionFramesWith(handler);
        KeepAlive alive = new KeepAlive(input, queued, pingAfter, deadAfter, reason -> end("dead link, " + reason));
        controlWriter = queued;
        multiplexer = mux;
        keepAlive = alive;
        if (endReason.get() == null) {
            queued.start(threads, "rtunnel-control-" + name.replace(' ', '-') + "-write");
            alive.start(timer);
        }
        return mux;
    }

    /** Reads and dispatches frames until the peer closes the connection, breaks the protocol, or it ends. */
    public void run() throws IOException {
        multiplexer.run();
    }

    /** Queues a session frame. */
    public void send(Frame frame) {
        multiplexer.send(frame);
    }

    /** Sends a last frame (an ERROR) and waits up to {@code drainMillis} for everything queued to leave. */
    public void sendLast(Frame frame, long drainMillis) {
        ControlWriter queued = controlWriter;
        if (queued != null) {
            queued.send(frame);
            drain(drainMillis);
        }
    }

    /** Writes what is queued, waiting up to {@code drainMillis}, and sends nothing after it. */
    public void drain(long drainMillis) {
        ControlWriter queued = controlWriter;
        if (queued == null) {
            return;
        }
        try {
            queued.drainAndClose(drainMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the peer still answers: sends a PING and waits up to {@code wait} for any bytes from it. A
     * session whose peer is gone (a half-open link) stays silent; a live one answers within a round trip.
     */
    public boolean answersWithin(Duration wait) throws InterruptedException {
        ControlWriter queued = controlWriter;
        if (queued == null || endReason.get() != null) {
            return false;
        }
        long seen = input.arrivals();
        queued.send(Frame.of(FrameType.PING, 0, new byte[FrameDispatcher.PING_LENGTH]));
        return input.awaitArrival(seen, wait.toNanos());
    }

    /** Streams open right now. */
    public int openStreams() {
        Multiplexer mux = multiplexer;
        return mux == null ? 0 : mux.openStreams();
    }

    /** The memory the peer can make this side hold for its streams. */
    public WindowBudget budget() {
        return budget;
    }

    /** Why the connection ended (the first reason given), or null while it goes on. */
    public String endReason() {
        return endReason.get();
    }

    /**
     * Ends the connection for {@code reason}, unless it already ended: stops the keep-alive and writer and
     * closes the socket, which ends the reader's {@link #run()}. Never blocks; any thread may call it.
     */
    public void end(String reason) {
        if (!endReason.compareAndSet(null, reason)) {
            return;
        }
        log.debug("{}: ending: {}", name, reason);
        KeepAlive alive = keepAlive;
        if (alive != null) {
            alive.close();
        }
        ControlWriter queued = controlWriter;
        if (queued != null) {
            queued.close();
        }
        // The owner hears the reason before the socket closes: its reader's "Socket closed" must not win.
        onEnd.accept(reason);
        closeSocket();
    }

    /**
     * Ends the connection (if nothing ended it before, the owner is closing it), every stream with it, and
     * waits for their threads. Called by the owner's thread once {@link #run()} has returned, holding no lock.
     */
    @Override
    public void close() {
        end("closed");
        closeSocket();
        Multiplexer mux = multiplexer;
        try {
            if (mux != null) {
                mux.closeStreams();
            }
            ControlWriter queued = controlWriter;
            if (queued != null) {
                queued.await(THREAD_EXIT_MILLIS);
            }
            if (mux != null) {
                mux.awaitStreams();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("{}: closing the control connection failed: {}", name, e.getMessage());
        }
    }
}
