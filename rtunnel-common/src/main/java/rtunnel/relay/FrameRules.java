package rtunnel.relay;

import rtunnel.protocol.Frame;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/** Shape rules every frame after the handshake must follow, beyond what its payload decoder checks. */
final class FrameRules {

    private FrameRules() {
    }

    /** Fails unless the payload is exactly {@code length} bytes (FIN: 0, PING and PONG: 8). */
    static void expectLength(Frame frame, int length) throws ProtocolException {
        if (frame.length() != length) {
            throw new ProtocolException(frame.type() + " on stream " + Integer.toUnsignedString(frame.streamId())
                    + " carries " + frame.length() + " bytes; it must carry " + length);
        }
    }

    /** Stream frames name a stream; session frames must use stream 0. */
    static void checkStreamField(Frame frame) throws ProtocolException {
        boolean streamFrame = switch (frame.type()) {
            case OPEN, DATA, WINDOW, FIN, RESET -> true;
            default -> false;
        };
        if (streamFrame == (frame.streamId() == Protocol.SESSION_STREAM)) {
            throw new ProtocolException(frame.type() + (streamFrame ? " needs a stream id other than 0"
                    : " must use stream 0, not " + Integer.toUnsignedString(frame.streamId())));
        }
    }
}
