package rtunnel.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.StreamOpen;
import rtunnel.protocol.StreamReset;

/**
 * Carries many streams over one authenticated control connection: opens and accepts streams, keeps them
 * by id for the {@link FrameDispatcher} that reads the connection, and ends them all with it. Stream
 * ids belong to this connection alone, so no peer can reach another session's streams. The connection
 * itself (socket, writer thread, keep-alive, teardown) belongs to {@link ControlConnection}.
 */
public final class Multiplexer implements StreamOwner {

    private static final Logger log = LoggerFactory.getLogger(Multiplexer.class);

    /** How long close() waits for each stream's threads; they only need to notice a closed socket. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    private final String name;
    private final FrameDispatcher dispatcher;
    private final ControlWriter writer;
    private final SocketThreads threads;
    private final FrameBuffers buffers;
    private final WindowBudget budget;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held while a stream id is chosen and its OPEN queued, so OPENs leave in id order. */
    private final ReentrantLock streamIds = new ReentrantLock();
    /**
     * Highest stream id opened so far; ids only grow, so a lower unknown id is a stream already ended.
     * Written under {@link #streamIds}, read by the reader thread without it.
     */
    private volatile int highestStreamId;
    /** The streams {@link #closeStreams()} ended, for {@link #awaitStreams()}. */
    private volatile List<Stream> closedStreams = List.of();

    /**
     * A multiplexer over a control connection whose handshake is done: {@code reader} and {@code writer}
     * already protect frames with the session keys. {@code buffers} is the pool {@code reader} reads large
     * frames into; the streams read their busy sockets into it too. Every stream's receive window comes
     * out of {@code budget}.
     */
    Multiplexer(String name, FrameReader reader, ControlWriter writer, SocketThreads threads, FrameBuffers buffers,
            WindowBudget budget) {
        this.name = name;
        this.buffers = buffers;
        this.dispatcher = new FrameDispatcher(name, reader, writer, this);
        this.writer = writer;
        this.threads = threads;
        this.budget = budget;
    }

    /** Sets who handles session frames; call before {@link #run()}. */
    void handleSessionFramesWith(SessionHandler sessionHandler) {
        dispatcher.handleSessionFramesWith(sessionHandler);
    }

    /** Reads and dispatches frames until the peer closes the connection or breaks the protocol. */
    void run() throws IOException {
        dispatcher.run();
    }

    /** The frame's stream, or null when it has already ended (late frames for it are dropped). */
    Stream lookup(Frame frame) throws ProtocolException {
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
     * once the stream has ended. Returns null, having reset the visitor, when the session is closed, its
     * window budget is spent, or no thread can be started for the stream.
     */
    public Stream openStream(int tunnelId, Socket visitor, String labelPrefix, Runnable onEnded, StreamMeter meter) {
        Stream stream;
        streamIds.lock();
        try {
            if (closed.get() || !budget.tryTake(Protocol.INITIAL_WINDOW)) {
                log.debug("{}: turning away visitor {}: {}", name, visitor.getRemoteSocketAddress(),
                        closed.get() ? "session closed" : "window budget of " + budget.total() + " bytes spent");
                SocketClosing.abruptly(visitor);
                onEnded.run();
                return null;
            }
            int id = highestStreamId + 1;
            stream = new Stream(id, labelPrefix + "/" + id, this, onEnded, meter);
            streams.put(id, stream);
            // Published after the stream is in the map: a reader that sees the id also finds the stream.
            highestStreamId = id;
            writer.send(new StreamOpen(id, tunnelId, (InetSocketAddress) visitor.getRemoteSocketAddress())
                    .toFrame());
        } finally {
            streamIds.unlock();
        }
        return started(stream, () -> visitor, visitor);
    }

    /**
     * Client side: accepts a stream the server opened, whose socket {@code source} will connect. Returns
     * null when the session is closed; resets the stream when the window budget is spent or no thread can
     * be started for it.
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
            if (!budget.tryTake(Protocol.INITIAL_WINDOW)) {
                writer.send(new StreamReset(open.streamId(), "client's window budget of " + budget.total()
                        + " bytes is spent").toFrame());
                onEnded.run();
                return null;
            }
            stream = new Stream(open.streamId(), labelPrefix + "/" + open.streamId(), this, onEnded, meter);
            streams.put(open.streamId(), stream);
        } finally {
            streamIds.unlock();
        }
        stream.startSoon(source);
        return stream;
    }

    /** Starts the stream's threads; when none can be started, resets it and closes {@code visitor}. */
    private Stream started(Stream stream, SocketSource source, Socket visitor) {
        try {
            stream.start(source);
            return stream;
        } catch (RejectedExecutionException e) {
            log.warn("{}: resetting stream {}: {}", name, Integer.toUnsignedString(stream.id()), e.getMessage());
            stream.abort(true, e.getMessage());
            SocketClosing.abruptly(visitor);
            return null;
        }
    }

    /** Turns a visitor away with a TCP reset, without opening a stream. */
    public static void reject(Socket visitor) {
        SocketClosing.abruptly(visitor);
    }

    /** Queues a session frame. */
    @Override
    public void send(Frame frame) {
        writer.send(frame);
    }

    /** Streams open right now. */
    public int openStreams() {
        return streams.size();
    }

    @Override
    public void sendFromStream(Frame frame) {
        writer.sendFromStream(frame);
    }

    @Override
    public void sendWindow(int streamId, int increment) {
        writer.sendWindow(streamId, increment, true);
    }

    @Override
    public void awaitRoom() throws InterruptedException {
        writer.awaitRoom();
    }

    @Override
    public WindowBudget budget() {
        return budget;
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

    /** Ends every stream at once (their sockets close); no new stream opens after this. */
    void closeStreams() {
        List<Stream> open;
        streamIds.lock();
        try {
            closed.set(true);
            open = List.copyOf(streams.values());
        } finally {
            streamIds.unlock();
        }
        closedStreams = open;
        for (Stream stream : open) {
            stream.abort(false, "session closed");
        }
    }

    /** Waits for the threads of every stream closed by {@link #closeStreams()}. Never call with a lock held. */
    void awaitStreams() throws InterruptedException {
        for (Stream stream : closedStreams) {
            stream.await(THREAD_EXIT_MILLIS);
        }
    }
}
