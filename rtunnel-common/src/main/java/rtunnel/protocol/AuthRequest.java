package rtunnel.protocol;

/**
 * AUTH, the client's first protected frame: the token that identifies this client across reconnects, then
 * its SSH public key and a signature over the transcript, or two empty fields when the client has no key.
 * The token travels here, never in the clear hellos, since on a server without authorized keys it is what
 * proves a reconnecting client owns its ports.
 */
public record AuthRequest(byte[] clientToken, byte[] publicKey, byte[] signature) {

    /** Length of the client-instance token. */
    public static final int TOKEN_LENGTH = 16;

    public AuthRequest {
        if (clientToken.length != TOKEN_LENGTH) {
            throw new IllegalArgumentException("client token of " + clientToken.length + " bytes, not " + TOKEN_LENGTH);
        }
    }

    /** A client without a key. */
    public static AuthRequest anonymous(byte[] clientToken) {
        return new AuthRequest(clientToken, new byte[0], new byte[0]);
    }

    public boolean isAnonymous() {
        return publicKey.length == 0;
    }

    public Frame toFrame() {
        return new PayloadBuilder().bytes(clientToken).bytes16(publicKey).bytes16(signature)
                .toFrame(FrameType.AUTH, Protocol.SESSION_STREAM);
    }

    public static AuthRequest from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        byte[] token = payload.bytes(TOKEN_LENGTH);
        byte[] key = payload.bytes16();
        byte[] signature = payload.bytes16();
        payload.expectEnd();
        return new AuthRequest(token, key, signature);
    }
}
