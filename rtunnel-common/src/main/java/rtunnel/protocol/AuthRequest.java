package rtunnel.protocol;

/**
 * AUTH, the client's first protected frame: its SSH public key and a signature over the transcript, or two
 * empty fields when the client has no key.
 */
public record AuthRequest(byte[] publicKey, byte[] signature) {

    /** A client without a key. */
    public static AuthRequest anonymous() {
        return new AuthRequest(new byte[0], new byte[0]);
    }

    public boolean isAnonymous() {
        return publicKey.length == 0;
    }

    public Frame toFrame() {
        return new PayloadBuilder().bytes16(publicKey).bytes16(signature)
                .toFrame(FrameType.AUTH, Protocol.SESSION_STREAM);
    }

    public static AuthRequest from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        byte[] key = payload.bytes16();
        byte[] signature = payload.bytes16();
        payload.expectEnd();
        return new AuthRequest(key, signature);
    }
}
