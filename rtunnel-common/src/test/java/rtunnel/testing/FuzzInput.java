package rtunnel.testing;

import java.util.Arrays;

/**
 * A fuzzer's bytes read as fields, front to back. Once the bytes run out, numbers read as 0 and byte
 * strings as empty or zero-filled, so every input means something and a seed is just its fields written one
 * after another (with {@link rtunnel.protocol.PayloadBuilder}, in the same encodings). Not thread-safe.
 */
public final class FuzzInput {

    private final byte[] bytes;
    private int position;

    public FuzzInput(byte[] bytes) {
        this.bytes = bytes;
    }

    public int u8() {
        return position < bytes.length ? bytes[position++] & 0xFF : 0;
    }

    public int u16() {
        return u8() << 8 | u8();
    }

    public int u32() {
        return u16() << 16 | u16();
    }

    /** Exactly {@code count} bytes, zero-filled past the end of the input. */
    public byte[] bytes(int count) {
        byte[] value = Arrays.copyOfRange(bytes, Math.min(position, bytes.length), Math.min(position, bytes.length) + count);
        position += count;
        return value;
    }

    /** A 16-bit length, then at most that many bytes: fewer when the input ends first. */
    public byte[] bytes16() {
        int length = Math.min(u16(), remaining());
        return bytes(length);
    }

    /** Whatever is left. */
    public byte[] rest() {
        return bytes(remaining());
    }

    public int remaining() {
        return Math.max(0, bytes.length - position);
    }
}
