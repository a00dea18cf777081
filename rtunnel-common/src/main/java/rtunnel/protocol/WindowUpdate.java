package rtunnel.protocol;

/** WINDOW: the receiver of stream {@code streamId} grants {@code increment} more bytes. */
public record WindowUpdate(int streamId, int increment) {

    public Frame toFrame() {
        return new PayloadBuilder().u32(increment).toFrame(FrameType.WINDOW, streamId);
    }

    public static WindowUpdate from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int increment = payload.u32();
        payload.expectEnd();
        if (increment <= 0) {
            throw new ProtocolException("WINDOW increment " + Integer.toUnsignedString(increment)
                    + " on stream " + Integer.toUnsignedString(frame.streamId()) + " is not between 1 and " + Integer.MAX_VALUE);
        }
        return new WindowUpdate(frame.streamId(), increment);
    }
}
