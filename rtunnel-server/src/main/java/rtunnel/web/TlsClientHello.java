package rtunnel.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import rtunnel.protocol.ProtocolException;

/**
 * The server name (SNI) of a TLS ClientHello as it arrives, read from the handshake records without
 * decrypting or answering anything (RFC 8446 section 4.1.2, RFC 6066 section 3). Pure, like {@link HttpHead}.
 */
public final class TlsClientHello {

    /** Answer of {@link #serverName} while the ClientHello is still incomplete. */
    public static final String INCOMPLETE = new String("incomplete");

    private static final int HANDSHAKE_RECORD = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME_EXTENSION = 0;
    private static final int HOST_NAME = 0;
    private static final int RECORD_HEADER = 5;

    private TlsClientHello() {
    }

    /**
     * The server name the ClientHello in the first {@code length} bytes asks for, lower-cased; null when it
     * has none; {@link #INCOMPLETE} (compare by identity) when more bytes are needed.
     *
     * @throws ProtocolException when the bytes are not a TLS ClientHello
     */
    public static String serverName(byte[] bytes, int length) throws ProtocolException {
        byte[] message = handshake(bytes, length);
        if (message == null) {
            return INCOMPLETE;
        }
        Reader in = new Reader(message);
        if (in.u8() != CLIENT_HELLO) {
            throw new ProtocolException("first TLS handshake message is not a ClientHello");
        }
        in.skip(3 + 2 + 32);
        in.skip(in.u8());
        in.skip(in.u16());
        in.skip(in.u8());
        if (in.remaining() == 0) {
            return null;
        }
        int extensionsEnd = in.u16() + in.position();
        while (in.position() < extensionsEnd) {
            int type = in.u16();
            int size = in.u16();
            if (type != SERVER_NAME_EXTENSION) {
                in.skip(size);
                continue;
            }
            in.u16();
            if (in.u8() != HOST_NAME) {
                return null;
            }
            int nameLength = in.u16();
            return new String(in.take(nameLength), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /** The handshake message gathered from the records so far, or null while it is incomplete. */
    private static byte[] handshake(byte[] bytes, int length) throws ProtocolException {
        byte[] gathered = new byte[length];
        int size = 0;
        int offset = 0;
        while (offset + RECORD_HEADER <= length) {
            if (bytes[offset] != HANDSHAKE_RECORD || bytes[offset + 1] != 3) {
                throw new ProtocolException("not a TLS handshake record");
            }
            int recordLength = (bytes[offset + 3] & 0xff) << 8 | bytes[offset + 4] & 0xff;
            int available = Math.min(recordLength, length - offset - RECORD_HEADER);
            System.arraycopy(bytes, offset + RECORD_HEADER, gathered, size, available);
            size += available;
            offset += RECORD_HEADER + recordLength;
            if (size >= 4) {
                int messageLength = (gathered[1] & 0xff) << 16 | (gathered[2] & 0xff) << 8 | gathered[3] & 0xff;
                if (size >= 4 + messageLength) {
                    byte[] message = new byte[4 + messageLength];
                    System.arraycopy(gathered, 0, message, 0, message.length);
                    return message;
                }
            }
        }
        if (length > 0 && bytes[0] != HANDSHAKE_RECORD) {
            throw new ProtocolException("not a TLS handshake record");
        }
        return null;
    }

    /** Bounds-checked reading of one complete handshake message. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int u8() throws ProtocolException {
            return take(1)[0] & 0xff;
        }

        int u16() throws ProtocolException {
            byte[] two = take(2);
            return (two[0] & 0xff) << 8 | two[1] & 0xff;
        }

        void skip(int count) throws ProtocolException {
            take(count);
        }

        byte[] take(int count) throws ProtocolException {
            if (count > bytes.length - position) {
                throw new ProtocolException("ClientHello truncated at offset " + position);
            }
            byte[] taken = java.util.Arrays.copyOfRange(bytes, position, position + count);
            position += count;
            return taken;
        }

        int position() {
            return position;
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
