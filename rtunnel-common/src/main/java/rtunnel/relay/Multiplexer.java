package rtunnel.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.StreamOpen;
import rtunnel.protocol.StreamReset;
import rtunnel.protocol.WindowUpdate;

/**
 * Carries many streams over one authenticated control connection: reads every frame, hands stream frames
 * to their {@link Stream}, answers pings, and passes session frames to the {@link SessionHandler}. Stream
 * ids belong to this connection alone, so no peer can reach another session's streams.
 */
public final class Multiplexer implements StreamOwner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Multiplexer.class);

    /**
     * Buffer on the writing side of a control socket. Smaller than a full frame on purpose: small frames
     * gather in it and leave in one write, while bulk frames are larger and bypass it, so their bytes are not
     * copied. The reading side buffers in {@link FrameReader} ({@code CARRY_BYTES}), on the same lines.
     */
    public static final int CONTROL_BUFFER_BYTES = 16 * 1024;

    /**
     * Idle frame buffers a connection keeps for reuse (64 KiB each, 1 MiB in all): enough for a few busy
     * streams' frames in flight both ways. Held only after bulk data has flowed; idle streams hold none.
     */
    public static final int POOLED_FRAME_BUFFERS = 16;

    /** PING and PONG carry 8 opaque bytes, echoed back. */
    public static final int PING_LENGTH = 8;

    /** How long close() waits for each thread it stops; they only need to notice a closed socket. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    private final String name;
    private final Socket control;
    private final FrameReader reader;
    private final ControlWriter writer;
    private final SocketThreads threads;
    private final FrameBuffers buffers;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held while a stream id is chosen and its OPEN queued, so OPENs leave in id order. */
    private final ReentrantLock streamIds = new ReentrantLock();
    private SessionHandler handler = frame -> {
        throw new ProtocolException("unexpected " + frame.type());
    };
    /** Highest stream id opened so far; ids only grow, so a lower unknown id is a stream already ended. */
    private int highestStreamId;
    private volatile long lastReceivedNanos = System.nanoTime();

    /**
     * A multiplexer over a control connection whose handshake is done: {@code reader} and {@code writer}
     * already protect frames with the session keys. {@code buffers} is the pool {@code reader} reads large
     * frames into; the streams read their busy sockets into it too.
     */
    public Multiplexer(String name, Socket control, FrameReader reader, ControlWriter writer, SocketThreads threads,
            FrameBuffers buffers) {
        this.name = name;
        this.buffers = buffers;
        this.control = control;
        this.reader = reader;
        this.writer = writer;
        this.threads = threads;
    }

    /** Sets who handles session frames; call before {@link #run()}. */
    public void handleSessionFramesWith(SessionHandler sessionHandler) {
        this.handler = sessionHandler;
    }

    /** Reads and dispatches frames until the peer closes the connection or breaks the protocol. */
    public void run() throws IOException {
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            lastReceivedNanos = System.nanoTime();
            if (log.isDebugEnabled()) {
                log.debug("{}: received {}", name, frame);
            }
            dispatch(frame);
        }
    }

    private void dispatch(Frame frame) throws IOException {
        FrameRules.checkStreamField(frame);
        switch (frame.type()) {
            case DATA -> {
                Stream stream = lookup(frame);
                if (stream != null) {
                    stream.onData(frame);
                }
            }
            case WINDOW -> {
                WindowUpdate update = WindowUpdate.from(frame);
                Stream stream = lookup(frame);
                if (stream != null) {
                    stream.onWindow(update.increment());
                }
            }
            case FIN -> {
                FrameRules.expectLength(frame, 0);
                Stream stream = lookup(frame);
                if (stream != null) {
                    stream.onFin();
                }
            }
            case RESET -> {
                StreamReset reset = StreamReset.from(frame);
                Stream stream = lookup(frame);
                if (stream != null) {
                    stream.abort(false, "peer reset: " + reset.reason());
                }
            }
            case PING -> {
                FrameRules.expectLength(frame, PING_LENGTH);
                writer.send(Frame.of(FrameType.PONG, 0, frame.payload()));
            }
            case PONG -> FrameRules.expectLength(frame, PING_LENGTH);
            case CLIENT_HELLO, SERVER_HELLO, AUTH, AUTH_OK ->
                    throw new ProtocolException(frame.type() + " after the handshake");
            default -> handler.onFrame(frame);
        }
    }

    /** The frame's stream, or null when it has already ended (late frames for it are dropped). */
    private Stream lookup(Frame frame) throws ProtocolException {
        int id = frame.streamId();
        Stream stream = streams.get(id);
        if (stream == null && (id == 0 || Integer.compareUnsigned(id, highestStreamId) > 0)) {
            throw new ProtocolException(frame.type() + " for stream " + Integer.toUnsignedString(id)
                    + ", which was never opened");
        }
        return stream;
    }

    /**
     * Server side: opens a new stream for an accepted visitor and tells the client; {@code onEnded} runs
     * once the stream has ended. Returns null, having closed the visitor, when the session is already closed.
     */
    public Stream openStream(int tunnelId, Socket visitor, String labelPrefix, Runnable onEnded, StreamMeter meter) {
        Stream stream;
        streamIds.lock();
        try {
            if (closed.get()) {
                Stream.closeAbruptly(visitor);
                onEnded.run();
                return null;
            }
            int id = ++highestStreamId;
            stream = new Stream(id, labelPrefix + "/" + id, this, onEnded, meter);
            streams.put(id, stream);
            writer.send(new StreamOpen(id, tunnelId, (InetSocketAddress) visitor.getRemoteSocketAddress())
                    .toFrame());
        } finally {
            streamIds.unlock();
        }
        stream.start(() -> visitor);
        return stream;
    }

    /**
     * Client side: accepts a stream the server opened, whose socket {@code source} will connect. Returns
     * null when the session is already closed.
     */
    public Stream acceptStream(StreamOpen open, SocketSource source, String labelPrefix, Runnable onEnded,
            StreamMeter meter) throws ProtocolException {
        Stream stream;
        streamIds.lock();
        try {
            if (Integer.compareUnsigned(open.streamId(), highestStreamId) <= 0) {
                throw new ProtocolException("OPEN reuses stream id " + Integer.toUnsignedString(open.streamId()));
            }
            highestStreamId = open.streamId();
            if (closed.get()) {
                onEnded.run();
                return null;
            }
            stream = new Stream(open.streamId(), labelPrefix + "/" + open.streamId(), this, onEnded, meter);
            streams.put(open.streamId(), stream);
        } finally {
            streamIds.unlock();
        }
        stream.start(source);
        return stream;
    }

    /** Turns a visitor away with a TCP reset, without opening a stream. */
    public static void reject(Socket visitor) {
        Stream.closeAbruptly(visitor);
    }

    /** Queues a session frame. */
    public void send(Frame frame) {
        writer.send(frame);
    }

    /** Resets stream {@code id} if it is still open (for example when its visitor cannot be served). */
    public void reset(int id, String reason) {
        Stream stream = streams.get(id);
        if (stream != null) {
            stream.abort(true, reason);
        }
    }

    /** Streams open right now. */
    public int openStreams() {
        return streams.size();
    }

    /** When the last frame arrived, in {@link System#nanoTime()} terms. */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    @Override
    public void sendControl(Frame frame) {
        writer.send(frame);
    }

    @Override
    public void sendFromStream(Frame frame) {
        writer.sendFromStream(frame);
    }

    @Override
    public boolean sendData(Frame frame) throws InterruptedException {
        return writer.sendData(frame);
    }

    @Override
    public void streamEnded(Stream stream) {
        streams.remove(stream.id(), stream);
    }

    @Override
    public FrameBuffers buffers() {
        return buffers;
    }

    @Override
    public SocketThreads threads() {
        return threads;
    }

    /** Closes every stream and the connection, then waits for their threads. */
    @Override
    public void close() {
        List<Stream> open;
        streamIds.lock();
        try {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            open = List.copyOf(streams.values());
        } finally {
            streamIds.unlock();
        }
        for (Stream stream : open) {
            stream.abort(false, "session closed");
        }
        writer.close();
        try {
            control.close();
        } catch (IOException e) {
            log.debug("{}: closing the control connection failed: {}", name, e.getMessage());
        }
        try {
            writer.await(THREAD_EXIT_MILLIS);
            for (Stream stream : open) {
                stream.await(THREAD_EXIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
