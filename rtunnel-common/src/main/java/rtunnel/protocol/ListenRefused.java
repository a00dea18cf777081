package rtunnel.protocol;

/** LISTEN_REFUSED: the server will not listen for tunnel {@code tunnelId}, for a human {@code reason}. */
public record ListenRefused(int tunnelId, Refusal refusal, String reason) {

    public Frame toFrame() {
        return new PayloadBuilder().u32(tunnelId).u8(refusal.code()).rest(reason)
                .toFrame(FrameType.LISTEN_REFUSED, Protocol.SESSION_STREAM);
    }

    public static ListenRefused from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        Refusal refusal = Refusal.fromCode(payload.u8());
        return new ListenRefused(tunnelId, refusal, PeerText.safe(payload.restAsString()));
    }
}
