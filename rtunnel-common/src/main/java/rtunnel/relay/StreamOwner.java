package rtunnel.relay;

import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;

/** What a {@link Stream} needs from the session that carries it. */
interface StreamOwner {

    /** Queues a flow-control or reset frame; never waits. */
    void send(Frame frame);

    /**
     * Sends a FIN from one of the stream's own threads, writing it at once when the connection is
     * free; may block on that write, so never from the connection's reader.
     */
    void sendFromStream(Frame frame);

    /**
     * Grants the peer {@code increment} more bytes on stream {@code streamId}, from the stream's own socket
     * writer: written at once when the connection is free, else joined with grants already waiting.
     */
    void sendWindow(int streamId, int increment);

    /** Waits while the connection is congested, before a stream reads its socket into a frame. */
    void awaitRoom() throws InterruptedException;

    /** The receive window all streams of the session share. */
    WindowBudget budget();

    /** Queues a data frame, waiting while the connection is congested; false once the session is closed. */
    boolean sendData(Frame frame) throws InterruptedException;

    /** The stream has ended and released its socket. */
    void streamEnded(Stream stream);

    /** The connection's pooled frame buffers, for reading a busy socket. */
    FrameBuffers buffers();

    /** Starts the stream's threads. */
    SocketThreads threads();
}
