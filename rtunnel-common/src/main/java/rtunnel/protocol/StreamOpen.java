package rtunnel.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * OPEN: a visitor reached tunnel {@code tunnelId}; the server opens stream {@code streamId} for it. The
 * visitor's address travels along so the client can log it (and later hand it on in a PROXY header).
 */
public record StreamOpen(int streamId, int tunnelId, InetSocketAddress visitor) {

    public Frame toFrame() {
        byte[] address = visitor.getAddress().getAddress();
        return new PayloadBuilder().u32(tunnelId).u8(address.length == 4 ? 4 : 6).bytes(address)
                .u16(visitor.getPort()).toFrame(FrameType.OPEN, streamId);
    }

    public static StreamOpen from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        int family = payload.u8();
        if (family != 4 && family != 6) {
            throw new ProtocolException("OPEN address family " + family + " is neither 4 nor 6");
        }
        byte[] address = payload.bytes(family == 4 ? 4 : 16);
        int port = payload.u16();
        payload.expectEnd();
        try {
            return new StreamOpen(frame.streamId(), tunnelId,
                    new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
    }
}
