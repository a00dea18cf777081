package rtunnel.auth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Writes the SSH wire encoding (RFC 4251 §5: string, mpint). Not thread-safe. */
final class SshBlobWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    SshBlobWriter writeString(byte[] value) {
        int length = value.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(value, 0, length);
        return this;
    }

    SshBlobWriter writeText(String value) {
        return writeString(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Two's complement, minimal length: exactly what {@link BigInteger#toByteArray()} gives. */
    SshBlobWriter writeMpint(BigInteger value) {
        return writeString(value.signum() == 0 ? new byte[0] : value.toByteArray());
    }

    SshBlobWriter writeRaw(byte[] value) {
        out.write(value, 0, value.length);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
