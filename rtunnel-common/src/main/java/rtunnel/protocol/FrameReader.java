package rtunnel.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a connection, checking each one's length before allocating and its tag before
 * returning it. Not thread-safe: one thread reads a connection.
 */
public final class FrameReader {

    private final InputStream in;
    private final byte[] header = new byte[Protocol.HEADER_LENGTH];
    private FrameProtection protection = FrameProtection.NONE;
    private long framesRead;

    /** Reads from {@code in}, which should be buffered. */
    public FrameReader(InputStream in) {
        this.in = in;
    }

    /** From the next frame on, frames are opened with {@code protection}. */
    public void protectWith(FrameProtection protection) {
        this.protection = protection;
    }

    /**
     * Reads and checks the peer's preamble: the magic value, then the version.
     *
     * @throws EOFException when the peer closed without sending anything (worth retrying)
     * @throws ProtocolException when the peer is not rtunnel, speaks another version, or stopped midway
     */
    public void readPreamble() throws IOException {
        byte[] preamble = new byte[Protocol.PREAMBLE_LENGTH];
        int got = in.readNBytes(preamble, 0, preamble.length);
        if (got == 0) {
            throw new EOFException("connection closed before the peer sent anything");
        }
        for (int i = 0; i < Math.min(got, Protocol.MAGIC.length); i++) {
            if (preamble[i] != Protocol.MAGIC[i]) {
                throw new ProtocolException("peer is not speaking rtunnel (first bytes " + printable(preamble, got) + ")");
            }
        }
        if (got < preamble.length) {
            throw new ProtocolException("connection closed after " + got + " of " + preamble.length + " preamble bytes");
        }
        int version = preamble[Protocol.MAGIC.length] & 0xFF;
        if (version != Protocol.VERSION) {
            throw new ProtocolException("peer speaks rtunnel protocol version " + version + ", this side speaks "
                    + Protocol.VERSION);
        }
    }

    /**
     * Reads the next frame, or returns {@code null} when the peer closed the connection between frames.
     *
     * @throws ProtocolException on a giant length, a truncated frame, a failed tag or an unknown type
     */
    public Frame read() throws IOException {
        int got = in.readNBytes(header, 0, header.length);
        if (got == 0) {
            return null;
        }
        if (got < header.length) {
            throw new ProtocolException("connection closed inside a frame header (" + got + " of "
                    + header.length + " bytes)");
        }
        int length = ((header[0] & 0xFF) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
                | (header[3] & 0xFF);
        if (length < 0 || length > Protocol.MAX_PAYLOAD) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length) + " exceeds "
                    + Protocol.MAX_PAYLOAD);
        }
        byte[] buffer = new byte[Frame.bufferSize(length)];
        System.arraycopy(header, 0, buffer, 0, header.length);
        int rest = length + protection.tagLength();
        int body = in.readNBytes(buffer, Protocol.HEADER_LENGTH, rest);
        if (body < rest) {
            throw new ProtocolException("connection closed inside a frame (" + body + " of " + rest
                    + " bytes after the header)");
        }
        protection.open(buffer, Protocol.HEADER_LENGTH + length);
        framesRead++;
        int streamId = ((header[5] & 0xFF) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8)
                | (header[8] & 0xFF);
        return new Frame(FrameType.fromCode(header[4] & 0xFF), streamId, buffer, length);
    }

    /** How many frames have been read and checked. */
    public long framesRead() {
        return framesRead;
    }

    private static String printable(byte[] bytes, int count) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < count; i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.append('"').toString();
    }
}
