package rtunnel.protocol;

/** LISTEN: the client asks the server to listen on {@code host:port} for tunnel {@code tunnelId}. */
public record ListenRequest(int tunnelId, HostPort address) {

    public Frame toFrame() {
        return new PayloadBuilder().u32(tunnelId).string16(address.host()).u16(address.port())
                .toFrame(FrameType.LISTEN, Protocol.SESSION_STREAM);
    }

    public static ListenRequest from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        String host = payload.string16();
        int port = payload.u16();
        payload.expectEnd();
        return new ListenRequest(tunnelId, new HostPort(host, port));
    }
}
