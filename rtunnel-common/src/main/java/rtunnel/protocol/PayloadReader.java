package rtunnel.protocol;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Reads the fields of one frame's payload, with exact errors for short or overlong payloads. */
public final class PayloadReader {

    private final Frame frame;
    private final byte[] buffer;
    private final int end;
    private int position = Protocol.HEADER_LENGTH;

    public PayloadReader(Frame frame) {
        this.frame = frame;
        this.buffer = frame.buffer();
        this.end = Protocol.HEADER_LENGTH + frame.length();
    }

    public int u8() throws ProtocolException {
        need(1, "a byte");
        return buffer[position++] & 0xFF;
    }

    public int u16() throws ProtocolException {
        need(2, "a 16-bit number");
        int value = ((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    public int u32() throws ProtocolException {
        need(4, "a 32-bit number");
        int value = ((buffer[position] & 0xFF) << 24) | ((buffer[position + 1] & 0xFF) << 16)
                | ((buffer[position + 2] & 0xFF) << 8) | (buffer[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    /** Exactly {@code count} bytes. */
    public byte[] bytes(int count) throws ProtocolException {
        need(count, count + " bytes");
        byte[] value = new byte[count];
        System.arraycopy(buffer, position, value, 0, count);
        position += count;
        return value;
    }

    /** A byte string preceded by its 16-bit length. */
    public byte[] bytes16() throws ProtocolException {
        return bytes(u16());
    }

    /** A UTF-8 string preceded by its 16-bit length. */
    public String string16() throws ProtocolException {
        return utf8(bytes16());
    }

    /** The rest of the payload as UTF-8 text. */
    public String restAsString() throws ProtocolException {
        return utf8(bytes(end - position));
    }

    /** Fails unless every payload byte was read. */
    public void expectEnd() throws ProtocolException {
        if (position != end) {
            throw new ProtocolException(frame.type() + " payload has " + (end - position) + " unexpected bytes at the end");
        }
    }

    private void need(int count, String what) throws ProtocolException {
        if (end - position < count) {
            throw new ProtocolException(frame.type() + " payload too short: needs " + what + " at offset "
                    + (position - Protocol.HEADER_LENGTH) + " of " + frame.length());
        }
    }

    private String utf8(byte[] bytes) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(frame.type() + " payload has text that is not UTF-8");
        }
    }
}
