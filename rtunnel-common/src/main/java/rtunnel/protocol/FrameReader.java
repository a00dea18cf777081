package rtunnel.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a connection, checking each one's length before allocating and its tag before
 * returning it. It buffers the connection itself: small frames are read many at a time into a carry
 * buffer, while a frame too large for it is read straight into a pooled buffer together with the next
 * frame's header, so bulk data costs about one system call and no extra copy per frame. Not thread-safe:
 * one thread reads a connection.
 */
public final class FrameReader {

    /**
     * Bytes read ahead at once: many small frames per system call. A frame that does not fit is read
     * directly into its own buffer instead.
     */
    static final int CARRY_BYTES = 16 * 1024;

    private final InputStream in;
    private final FrameBuffers buffers;
    private final byte[] carry = new byte[CARRY_BYTES];
    /** The unread bytes are {@code carry[start, end)}. */
    private int start;
    private int end;
    /** Where large encrypted frames land before they are decrypted into a pooled buffer; made at first use. */
    private byte[] sealedFrame;
    private FrameProtection protection = FrameProtection.NONE;
    private long framesRead;

    /** Reads from {@code in}, without a pool: every frame gets a buffer of its own. */
    public FrameReader(InputStream in) {
        this(in, new FrameBuffers(0));
    }

    /**
     * Reads from {@code in}, which need not be buffered; frames larger than {@link #CARRY_BYTES} are read
     * into buffers from {@code buffers}, and whoever consumes them calls {@link Frame#release()}.
     */
    public FrameReader(InputStream in, FrameBuffers buffers) {
        this.in = in;
        this.buffers = buffers;
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
        int got = Math.min(fill(Protocol.PREAMBLE_LENGTH), Protocol.PREAMBLE_LENGTH);
        if (got == 0) {
            throw new EOFException("connection closed before the peer sent anything");
        }
        for (int i = 0; i < Math.min(got, Protocol.MAGIC.length); i++) {
            if (carry[start + i] != Protocol.MAGIC[i]) {
                throw new ProtocolException("peer is not speaking rtunnel (first bytes "
                        + printable(carry, start, got) + ")");
            }
        }
        if (got < Protocol.PREAMBLE_LENGTH) {
            throw new ProtocolException("connection closed after " + got + " of " + Protocol.PREAMBLE_LENGTH
                    + " preamble bytes");
        }
        int version = carry[start + Protocol.MAGIC.length] & 0xFF;
        start += Protocol.PREAMBLE_LENGTH;
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
        int got = fill(Protocol.HEADER_LENGTH);
        if (got == 0) {
            return null;
        }
        if (got < Protocol.HEADER_LENGTH) {
            throw new ProtocolException("connection closed inside a frame header (" + got + " of "
                    + Protocol.HEADER_LENGTH + " bytes)");
        }
        int length = intAt(carry, start);
        if (length < 0 || length > Protocol.MAX_PAYLOAD) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length) + " exceeds "
                    + Protocol.MAX_PAYLOAD);
        }
        int type = carry[start + 4] & 0xFF;
        int streamId = intAt(carry, start + 5);
        int total = Protocol.HEADER_LENGTH + length + protection.tagLength();
        boolean pooled = total > CARRY_BYTES;
        byte[] buffer = pooled ? readLarge(length, total) : readSmall(length, total);
        framesRead++;
        return new Frame(FrameType.fromCode(type), streamId, buffer, length, pooled ? buffers : null);
    }

    /**
     * A frame that fits in the carry buffer: gathered there, then copied into a buffer of its own size and
     * opened there.
     */
    private byte[] readSmall(int length, int total) throws IOException {
        int got = fill(total);
        if (got < total) {
            throw truncated(got, total);
        }
        byte[] buffer = new byte[Frame.bufferSize(length)];
        System.arraycopy(carry, start, buffer, 0, total);
        start += total;
        protection.open(buffer, Protocol.HEADER_LENGTH + length);
        return buffer;
    }

    /**
     * A frame larger than the carry buffer: what the carry holds is copied to where the frame lands, and the
     * rest is read straight after it, asking for the next header too so that the next frame needs no extra
     * read. Those bytes go back to the carry; the landing buffer has {@link Protocol#HEADER_LENGTH} bytes of
     * room for them. A plain frame lands in its pooled buffer and is checked there; an encrypted one lands in
     * this reader's own buffer and is decrypted into the pooled one, which lets the JDK use its fastest
     * AES-GCM code.
     */
    private byte[] readLarge(int length, int total) throws IOException {
        byte[] buffer = buffers.take();
        byte[] landing = buffer;
        if (protection.encrypts()) {
            if (sealedFrame == null) {
                sealedFrame = new byte[FrameBuffers.BUFFER_BYTES];
            }
            landing = sealedFrame;
        }
        int have = end - start;
        System.arraycopy(carry, start, landing, 0, have);
        while (have < total) {
            int count = in.read(landing, have, total + Protocol.HEADER_LENGTH - have);
            if (count < 0) {
                start = end;
                buffers.give(buffer);
                throw truncated(have, total);
            }
            have += count;
        }
        start = 0;
        end = have - total;
        System.arraycopy(landing, total, carry, 0, end);
        if (landing == buffer) {
            protection.open(buffer, Protocol.HEADER_LENGTH + length);
        } else {
            protection.open(landing, buffer, Protocol.HEADER_LENGTH + length);
        }
        return buffer;
    }

    /**
     * Reads until the carry buffer holds at least {@code wanted} bytes (at most {@link #CARRY_BYTES}) or the
     * connection ends; returns how many it holds, which is fewer only at the end. Each read takes all the
     * room there is, so small frames arrive many at a time.
     */
    private int fill(int wanted) throws IOException {
        if (end - start >= wanted) {
            return end - start;
        }
        if (start > 0) {
            System.arraycopy(carry, start, carry, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end < wanted) {
            int count = in.read(carry, end, carry.length - end);
            if (count < 0) {
                break;
            }
            end += count;
        }
        return end;
    }

    /** The connection ended with {@code got} of a frame's {@code total} bytes (header included) read. */
    private static ProtocolException truncated(int got, int total) {
        return new ProtocolException("connection closed inside a frame (" + (got - Protocol.HEADER_LENGTH)
                + " of " + (total - Protocol.HEADER_LENGTH) + " bytes after the header)");
    }

    private static int intAt(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                | (bytes[at + 3] & 0xFF);
    }

    /** How many frames have been read and checked. */
    public long framesRead() {
        return framesRead;
    }

    private static String printable(byte[] bytes, int from, int count) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = from; i < from + count; i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.append('"').toString();
    }
}
