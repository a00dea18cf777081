package rtunnel.protocol;

/** What a receiver makes of a frame's payload: the decoder of its type, whichever side would receive it. */
public final class PayloadDecoders {

    private PayloadDecoders() {
    }

    /**
     * The decoded message. Types without a message record (DATA, FIN, PING, PONG, GOAWAY, AUTH_OK) give a
     * copy of their payload: the relay takes those bytes as they are.
     *
     * @throws ProtocolException what every decoder documents for a malformed payload
     */
    public static Object decode(Frame frame) throws ProtocolException {
        return switch (frame.type()) {
            case CLIENT_HELLO -> ClientHello.from(frame);
            case SERVER_HELLO -> ServerHello.from(frame);
            case AUTH -> AuthRequest.from(frame);
            case LISTEN -> ListenRequest.from(frame);
            case LISTEN_OK -> ListenAccepted.from(frame);
            case LISTEN_REFUSED -> ListenRefused.from(frame);
            case LISTEN_NAME -> NameRequest.from(frame);
            case NAME_OK -> NameAccepted.from(frame);
            case VISITOR_RULES -> VisitorRules.from(frame);
            case OPEN -> StreamOpen.from(frame);
            case WINDOW -> WindowUpdate.from(frame);
            case RESET -> StreamReset.from(frame);
            case AUTH_RETRY -> AuthRetry.from(frame);
            case ERROR -> SessionError.from(frame);
            case DATA, FIN, PING, PONG, GOAWAY, AUTH_OK -> frame.payload();
        };
    }
}
