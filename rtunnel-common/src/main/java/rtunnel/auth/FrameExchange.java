package rtunnel.auth;

import java.io.EOFException;
import java.io.IOException;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;

/** The reader and writer of a connection during its handshake, with the "expect this frame next" rule. */
public record FrameExchange(FrameReader reader, FrameWriter writer) {

    /**
     * Reads the next frame and fails unless it has type {@code expected}. An ERROR frame from the server
     * carrying a refusal becomes a {@link RefusedException}; any other ERROR, and every ERROR a client
     * sends, is a {@link ProtocolException} (a client cannot make the server report a refusal).
     */
    Frame expect(FrameType expected, boolean peerIsServer) throws IOException {
        Frame frame = reader.read();
        if (frame == null) {
            // A clean hang-up (a server restarting, a proxy with no backend) is worth retrying, unlike bad bytes.
            throw new EOFException("connection closed while waiting for " + expected);
        }
        if (frame.type() == FrameType.ERROR && expected != FrameType.ERROR) {
            SessionError error = SessionError.from(frame);
            if (peerIsServer && error.refusal() != null) {
                throw new RefusedException(error.refusal(), "server refused the connection", error.reason());
            }
            throw new ProtocolException((peerIsServer ? "server" : "client") + " reported: " + error.reason());
        }
        if (frame.type() != expected) {
            throw new ProtocolException("expected " + expected + " but received " + frame.type());
        }
        return frame;
    }

    /** Writes and flushes one frame. */
    void send(Frame frame) throws IOException {
        writer.write(frame);
        writer.flush();
    }
}
