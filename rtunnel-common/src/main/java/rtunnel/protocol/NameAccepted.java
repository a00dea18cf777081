package rtunnel.protocol;

/**
 * NAME_OK: tunnel {@code tunnelId} owns host {@code name} (the full name); visitors reach it on the server's
 * {@code httpPort} and {@code httpsPort} (0: the server has no such port).
 */
public record NameAccepted(int tunnelId, String name, int httpPort, int httpsPort) {

    public Frame toFrame() {
        return new PayloadBuilder().u32(tunnelId).string16(name).u16(httpPort).u16(httpsPort)
                .toFrame(FrameType.NAME_OK, Protocol.SESSION_STREAM);
    }

    public static NameAccepted from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        String name = payload.string16();
        int httpPort = payload.u16();
        int httpsPort = payload.u16();
        payload.expectEnd();
        return new NameAccepted(tunnelId, name, httpPort, httpsPort);
    }
}
