package rtunnel.relay;

import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;

/** What a {@link Stream} needs from the session that carries it. */
interface StreamOwner {

    /** Queues a flow-control or reset frame; never waits. */
    void sendControl(Frame frame);

    /**
     * Sends a WINDOW or FIN from one of the stream's own threads, writing it at once when the connection is
     * free; may block on that write, so never from the connection's reader.
     */
    void sendFromStream(Frame frame);

    /** Queues a data frame, waiting while the connection is congested; false once the session is closed. */
    boolean sendData(Frame frame) throws InterruptedException;

    /** The stream has ended and released its socket. */
    void streamEnded(Stream stream);

    /** The connection's pooled frame buffers, for reading a busy socket. */
    FrameBuffers buffers();

    /** Starts the stream's threads. */
    SocketThreads threads();
}
