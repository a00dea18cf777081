package rtunnel.protocol;

/**
 * AUTH_RETRY: the server refused the key of the client's last AUTH for a human {@code reason}, before
 * checking its signature, and waits for another AUTH with the client's next key.
 */
public record AuthRetry(String reason) {

    public Frame toFrame() {
        return new PayloadBuilder().rest(reason).toFrame(FrameType.AUTH_RETRY, Protocol.SESSION_STREAM);
    }

    public static AuthRetry from(Frame frame) throws ProtocolException {
        return new AuthRetry(PeerText.safe(new PayloadReader(frame).restAsString()));
    }
}
