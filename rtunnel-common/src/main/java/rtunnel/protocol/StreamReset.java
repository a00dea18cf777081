package rtunnel.protocol;

/** RESET: stream {@code streamId} is aborted in both directions, for a human {@code reason}. */
public record StreamReset(int streamId, String reason) {

    public Frame toFrame() {
        return new PayloadBuilder().rest(reason).toFrame(FrameType.RESET, streamId);
    }

    public static StreamReset from(Frame frame) throws ProtocolException {
        return new StreamReset(frame.streamId(), PeerText.safe(new PayloadReader(frame).restAsString()));
    }
}
