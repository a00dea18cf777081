package rtunnel.auth;

import java.io.EOFException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
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
        return expect(EnumSet.of(expected), peerIsServer);
    }

    /** Like {@link #expect(FrameType, boolean)}, for a frame of any type in {@code expected}. */
    Frame expect(Set<FrameType> expected, boolean peerIsServer) throws IOException {
        String names = expected.stream().map(FrameType::name).collect(Collectors.joining(" or "));
        Frame frame = reader.read();
        if (frame == null) {
            // A clean hang-up (a server restarting, a proxy with no backend) is worth retrying, unlike bad bytes.
            throw new EOFException("connection closed while waiting for " + names);
        }
        if (frame.type() == FrameType.ERROR && !expected.contains(FrameType.ERROR)) {
            SessionError error = SessionError.from(frame);
            if (peerIsServer && error.refusal() != null) {
                throw new RefusedException(error.refusal(), "server refused the connection", error.reason());
            }
            throw new ProtocolException((peerIsServer ? "server" : "client") + " reported: " + error.reason());
        }
        if (!expected.contains(frame.type())) {
            throw new ProtocolException("expected " + names + " but received " + frame.type());
        }
        return frame;
    }

    /** Writes and flushes one frame. */
    void send(Frame frame) throws IOException {
        writer.write(frame);
        writer.flush();
    }
}
