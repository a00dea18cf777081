package rtunnel.protocol;

/**
 * LISTEN_NAME: the client asks the server to send it the visitors of host {@code name} (a label under the
 * server's first domain, or a full name under one of its domains) for tunnel {@code tunnelId}.
 */
public record NameRequest(int tunnelId, String name) {

    public Frame toFrame() {
        return new PayloadBuilder().u32(tunnelId).string16(name).toFrame(FrameType.LISTEN_NAME, Protocol.SESSION_STREAM);
    }

    public static NameRequest from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        String name = payload.string16();
        payload.expectEnd();
        return new NameRequest(tunnelId, name);
    }
}
