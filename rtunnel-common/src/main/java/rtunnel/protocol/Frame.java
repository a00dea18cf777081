package rtunnel.protocol;

import java.util.Arrays;

/**
 * One frame, held in a buffer laid out as on the wire: header room, payload, then room for the tag. Keeping
 * that layout lets the relay read a socket straight into a frame and the writer seal and send it without
 * copying.
 */
public final class Frame {

    private final FrameType type;
    private final int streamId;
    private final int length;
    private byte[] buffer;
    /** Where {@link #buffer} goes back once the frame is consumed; null when it is not pooled or given back. */
    private FrameBuffers origin;

    /**
     * A frame over {@code buffer}, whose payload is {@code buffer[HEADER_LENGTH, HEADER_LENGTH + length)}.
     * The buffer must leave {@link Protocol#MAX_TAG_LENGTH} bytes after the payload.
     */
    public Frame(FrameType type, int streamId, byte[] buffer, int length) {
        this(type, streamId, buffer, length, null);
    }

    /**
     * A frame over a buffer taken from {@code origin}, which gets it back at {@link #release()}; the frame's
     * holder owns the buffer until then.
     */
    public Frame(FrameType type, int streamId, byte[] buffer, int length, FrameBuffers origin) {
        if (length < 0 || length > Protocol.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload length " + length + " outside 0-" + Protocol.MAX_PAYLOAD);
        }
        if (buffer.length < bufferSize(length)) {
            throw new IllegalArgumentException("buffer of " + buffer.length + " bytes cannot hold " + length);
        }
        this.type = type;
        this.streamId = streamId;
        this.buffer = buffer;
        this.length = length;
        this.origin = origin;
    }

    /** A frame carrying a copy of {@code payload}. */
    public static Frame of(FrameType type, int streamId, byte[] payload) {
        byte[] buffer = new byte[bufferSize(payload.length)];
        System.arraycopy(payload, 0, buffer, Protocol.HEADER_LENGTH, payload.length);
        return new Frame(type, streamId, buffer, payload.length);
    }

    /** A frame with an empty payload. */
    public static Frame empty(FrameType type, int streamId) {
        return new Frame(type, streamId, new byte[bufferSize(0)], 0);
    }

    /** The buffer size a frame with {@code payloadLength} bytes needs. */
    public static int bufferSize(int payloadLength) {
        return Protocol.HEADER_LENGTH + payloadLength + Protocol.MAX_TAG_LENGTH;
    }

    public FrameType type() {
        return type;
    }

    public int streamId() {
        return streamId;
    }

    /** The payload length in bytes. */
    public int length() {
        return length;
    }

    /** The whole buffer; the payload starts at {@link Protocol#HEADER_LENGTH}. Not a copy. */
    public byte[] buffer() {
        return buffer;
    }

    /**
     * Gives a pooled buffer back, once its bytes have been written or copied; afterwards the frame has no
     * buffer. Only the frame's last holder calls this, once; for a buffer not from a pool it does nothing.
     */
    public void release() {
        FrameBuffers pool = origin;
        if (pool != null) {
            origin = null;
            byte[] given = buffer;
            buffer = null;
            pool.give(given);
        }
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return Arrays.copyOfRange(buffer, Protocol.HEADER_LENGTH, Protocol.HEADER_LENGTH + length);
    }

    /** Writes this frame's header into the first {@link Protocol#HEADER_LENGTH} bytes of its buffer. */
    void writeHeader() {
        buffer[0] = (byte) (length >>> 24);
        buffer[1] = (byte) (length >>> 16);
        buffer[2] = (byte) (length >>> 8);
        buffer[3] = (byte) length;
        buffer[4] = (byte) type.code();
        buffer[5] = (byte) (streamId >>> 24);
        buffer[6] = (byte) (streamId >>> 16);
        buffer[7] = (byte) (streamId >>> 8);
        buffer[8] = (byte) streamId;
    }

    @Override
    public String toString() {
        return type + " stream " + Integer.toUnsignedString(streamId) + " (" + length + " bytes)";
    }
}
