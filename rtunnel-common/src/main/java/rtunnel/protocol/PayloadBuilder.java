package rtunnel.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds a frame's payload field by field, in the encodings {@link PayloadReader} reads. */
public final class PayloadBuilder {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

    public PayloadBuilder u8(int value) {
        bytes.write(value);
        return this;
    }

    public PayloadBuilder u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("value " + value + " does not fit 16 bits");
        }
        bytes.write(value >>> 8);
        bytes.write(value);
        return this;
    }

    public PayloadBuilder u32(int value) {
        bytes.write(value >>> 24);
        bytes.write(value >>> 16);
        bytes.write(value >>> 8);
        bytes.write(value);
        return this;
    }

    public PayloadBuilder bytes(byte[] value) {
        bytes.writeBytes(value);
        return this;
    }

    /** A byte string preceded by its 16-bit length. */
    public PayloadBuilder bytes16(byte[] value) {
        return u16(value.length).bytes(value);
    }

    /** A UTF-8 string preceded by its 16-bit length. */
    public PayloadBuilder string16(String value) {
        return bytes16(value.getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 text filling the rest of the payload. */
    public PayloadBuilder rest(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** The frame carrying this payload. */
    public Frame toFrame(FrameType type, int streamId) {
        return Frame.of(type, streamId, bytes.toByteArray());
    }
}
