package rtunnel.protocol;

/**
 * ERROR: the session ends; {@code refusal} says why when the server refused the client (key, limit), and
 * is {@code null} for protocol errors and other failures.
 */
public record SessionError(Refusal refusal, String reason) {

    /** The code sent for errors that are not refusals. */
    private static final int NOT_A_REFUSAL = 0;

    public Frame toFrame() {
        return new PayloadBuilder().u8(refusal == null ? NOT_A_REFUSAL : refusal.code()).rest(reason)
                .toFrame(FrameType.ERROR, Protocol.SESSION_STREAM);
    }

    public static SessionError from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int code = payload.u8();
        Refusal refusal = code == NOT_A_REFUSAL ? null : Refusal.fromCode(code);
        return new SessionError(refusal, PeerText.safe(payload.restAsString()));
    }
}
