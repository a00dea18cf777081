package rtunnel.protocol;

/**
 * SERVER_HELLO: the server's nonce and ephemeral X25519 key, the frame protection it chose, whether it
 * requires a client key, and its host key with a signature over the handshake transcript.
 */
public record ServerHello(byte[] nonce, byte[] ephemeralKey, String protection, boolean keyRequired,
        byte[] hostKey, byte[] signature) {

    private static final int KEY_REQUIRED = 1;

    public Frame toFrame() {
        return signedPart().bytes16(signature).toFrame(FrameType.SERVER_HELLO, Protocol.SESSION_STREAM);
    }

    /** The payload bytes the host key signs: every field but the signature. */
    public byte[] signedBytes() {
        return signedPart().toByteArray();
    }

    private PayloadBuilder signedPart() {
        return new PayloadBuilder().bytes(nonce).bytes(ephemeralKey).string16(protection)
                .u8(keyRequired ? KEY_REQUIRED : 0).bytes16(hostKey);
    }

    public static ServerHello from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        byte[] nonce = payload.bytes(ClientHello.NONCE_LENGTH);
        byte[] key = payload.bytes(ClientHello.KEY_LENGTH);
        String protection = payload.string16();
        int flags = payload.u8();
        if ((flags & ~KEY_REQUIRED) != 0) {
            throw new ProtocolException("SERVER_HELLO has unknown flags " + flags);
        }
        byte[] hostKey = payload.bytes16();
        byte[] signature = payload.bytes16();
        payload.expectEnd();
        return new ServerHello(nonce, key, protection, flags == KEY_REQUIRED, hostKey, signature);
    }
}
