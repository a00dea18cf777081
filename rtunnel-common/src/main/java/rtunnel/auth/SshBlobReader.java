package rtunnel.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the SSH wire encoding (RFC 4251 §5: uint32, string, mpint) from a byte array. Any malformed
 * or truncated input is an {@link IllegalArgumentException}. Not thread-safe.
 */
final class SshBlobReader {

    private final byte[] bytes;
    private int position;

    SshBlobReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A uint32 that must fit an int ≥ 0, as every length in a key or signature does. */
    int readLength() {
        require(4);
        int value = (bytes[position] & 0xff) << 24 | (bytes[position + 1] & 0xff) << 16
                | (bytes[position + 2] & 0xff) << 8 | (bytes[position + 3] & 0xff);
        position += 4;
        if (value < 0) {
            throw new IllegalArgumentException("length " + Integer.toUnsignedString(value) + " is too large");
        }
        return value;
    }

    byte[] readString() {
        int length = readLength();
        require(length);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    String readText() {
        return new String(readString(), StandardCharsets.UTF_8);
    }

    /** An mpint that must be positive, as r and s of an ECDSA signature are. */
    BigInteger readPositiveMpint() {
        BigInteger value = new BigInteger(readString());
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("mpint is not positive");
        }
        return value;
    }

    byte[] readRaw(int length) {
        require(length);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    /** Fails when bytes are left over: a valid blob holds exactly its fields. */
    void requireEnd() {
        if (position != bytes.length) {
            throw new IllegalArgumentException((bytes.length - position) + " trailing bytes");
        }
    }

    private void require(int length) {
        if (length > bytes.length - position) {
            throw new IllegalArgumentException("truncated: " + length + " bytes needed, "
                    + (bytes.length - position) + " left");
        }
    }
}
