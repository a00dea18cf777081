package rtunnel.relay;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.StreamReset;
import rtunnel.protocol.WindowUpdate;

/**
 * The reading side of a {@link Multiplexer}: reads every frame of the connection, hands stream frames to
 * their {@link Stream}, answers pings, and passes session frames to the {@link SessionHandler}. Runs on the
 * connection's reader thread alone, which never blocks on a write.
 */
final class FrameDispatcher {

    private static final Logger log = LoggerFactory.getLogger(FrameDispatcher.class);

    /** PING and PONG carry 8 opaque bytes, echoed back. */
    static final int PING_LENGTH = 8;

    private final String name;
    private final FrameReader reader;
    private final ControlWriter writer;
    private final Multiplexer streams;
    private SessionHandler handler = frame -> {
        throw new ProtocolException("unexpected " + frame.type());
    };

    FrameDispatcher(String name, FrameReader reader, ControlWriter writer, Multiplexer streams) {
        this.name = name;
        this.reader = reader;
        this.writer = writer;
        this.streams = streams;
    }

    /** Sets who handles session frames; call before {@link #run()}. */
    void handleSessionFramesWith(SessionHandler sessionHandler) {
        this.handler = sessionHandler;
    }

    /** Reads and dispatches frames until the peer closes the connection or breaks the protocol. */
    void run() throws IOException {
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
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
                Stream stream = streams.lookup(frame);
                if (stream != null) {
                    stream.onData(frame);
                }
            }
            case WINDOW -> {
                WindowUpdate update = WindowUpdate.from(frame);
                Stream stream = streams.lookup(frame);
                if (stream != null) {
                    stream.onWindow(update.increment());
                }
            }
            case FIN -> {
                FrameRules.expectLength(frame, 0);
                Stream stream = streams.lookup(frame);
                if (stream != null) {
                    stream.onFin();
                }
            }
            case RESET -> {
                StreamReset reset = StreamReset.from(frame);
                Stream stream = streams.lookup(frame);
                if (stream != null) {
                    stream.abort(false, "peer reset: " + reset.reason());
                }
            }
            case PING -> {
                FrameRules.expectLength(frame, PING_LENGTH);
                writer.sendPong(frame.payload());
            }
            case PONG -> FrameRules.expectLength(frame, PING_LENGTH);
            case CLIENT_HELLO, SERVER_HELLO, AUTH, AUTH_OK ->
                    throw new ProtocolException(frame.type() + " after the handshake");
            default -> handler.onFrame(frame);
        }
    }
}
