package rtunnel.protocol;

/** LISTEN_OK: the server listens for tunnel {@code tunnelId} at {@code bound} (the real port). */
public record ListenAccepted(int tunnelId, HostPort bound) {

    public Frame toFrame() {
        return new PayloadBuilder().u32(tunnelId).string16(bound.host()).u16(bound.port())
                .toFrame(FrameType.LISTEN_OK, Protocol.SESSION_STREAM);
    }

    public static ListenAccepted from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        String host = payload.string16();
        int port = payload.u16();
        payload.expectEnd();
        return new ListenAccepted(tunnelId, new HostPort(host, port));
    }
}
