package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader's own buffering: small frames many to a read, large ones straight into pooled buffers. */
class FrameReaderBufferingTest {

    /** Payload sizes around every boundary: empty, small, just below and above the carry buffer, full. */
    private static final int[] SIZES = {0, 1, 5, 1000, FrameReader.CARRY_BYTES - Protocol.HEADER_LENGTH,
        FrameReader.CARRY_BYTES - Protocol.HEADER_LENGTH + 1, FrameReader.CARRY_BYTES, 40_000,
        Protocol.MAX_PAYLOAD, Protocol.MAX_PAYLOAD, 3, Protocol.MAX_PAYLOAD - 1, 0, Protocol.MAX_PAYLOAD};

    /** Every frame arrives whole and in order whatever sizes the connection's reads come back in. */
    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = {1, 7, 9, 10, 4096, 16_384, 65_545, 70_000, Integer.MAX_VALUE})
    void framesArriveIntactWhateverTheReadSizes(int chunk) throws IOException {
        List<Frame> sent = new ArrayList<>();
        Random random = new Random(chunk);
        for (int i = 0; i < SIZES.length; i++) {
            byte[] payload = new byte[SIZES[i]];
            random.nextBytes(payload);
            sent.add(Frame.of(i % 2 == 0 ? FrameType.DATA : FrameType.PING, i + 1, payload));
        }
        FrameBuffers buffers = new FrameBuffers(2);
        FrameReader reader = new FrameReader(new ChunkedInput(wire(sent), chunk), buffers);

        for (Frame expected : sent) {
            Frame read = reader.read();
            assertEquals(expected.type(), read.type());
            assertEquals(expected.streamId(), read.streamId());
            assertArrayEquals(expected.payload(), read.payload(), "payload of stream " + expected.streamId());
            read.release();
        }
        assertNull(reader.read());
    }

    /** An encrypted frame lands in the reader's own buffer and is opened into a pooled one. */
    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = {1, 9, 4096, 65_545, Integer.MAX_VALUE})
    void encryptedFramesArriveIntactWhateverTheReadSizes(int chunk) throws IOException {
        List<Frame> sent = new ArrayList<>();
        Random random = new Random(chunk);
        for (int i = 0; i < SIZES.length; i++) {
            byte[] payload = new byte[SIZES[i]];
            random.nextBytes(payload);
            sent.add(Frame.of(FrameType.DATA, i + 1, payload));
        }
        FrameBuffers buffers = new FrameBuffers(1);
        byte[] pooled = buffers.take();
        buffers.give(pooled);
        FrameReader reader = new FrameReader(new ChunkedInput(wire(sent, new XorProtection()), chunk), buffers);
        reader.protectWith(new XorProtection());

        for (Frame expected : sent) {
            Frame read = reader.read();
            assertArrayEquals(expected.payload(), read.payload(), "payload of stream " + expected.streamId());
            if (expected.length() > FrameReader.CARRY_BYTES) {
                assertSame(pooled, read.buffer(), "a large frame is opened into the pooled buffer");
            }
            read.release();
        }
        assertNull(reader.read());
    }

    @Test
    void largeFrameIsReadIntoAPooledBufferThatComesBackForTheNext() throws IOException {
        FrameBuffers buffers = new FrameBuffers(1);
        byte[] pooled = buffers.take();
        buffers.give(pooled);
        byte[] wire = wire(List.of(Frame.of(FrameType.DATA, 1, new byte[Protocol.MAX_PAYLOAD]),
                Frame.of(FrameType.DATA, 1, new byte[Protocol.MAX_PAYLOAD])));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire), buffers);

        Frame first = reader.read();
        assertSame(pooled, first.buffer());
        assertEquals(0, buffers.idle());
        first.release();
        Frame second = reader.read();

        assertSame(pooled, second.buffer());
    }

    @Test
    void smallFrameGetsABufferOfItsOwnSize() throws IOException {
        FrameBuffers buffers = new FrameBuffers(1);
        buffers.give(buffers.take());
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire(List.of(
                Frame.of(FrameType.DATA, 1, new byte[100])))), buffers);

        Frame frame = reader.read();

        assertEquals(Frame.bufferSize(100), frame.buffer().length);
        assertEquals(1, buffers.idle());
    }

    /** Each large frame's read also fetches the next header, so bulk data costs one read per frame. */
    @Test
    void bulkDataTakesOneReadPerFrame() throws IOException {
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(Frame.of(FrameType.DATA, 1, new byte[Protocol.MAX_PAYLOAD]));
        }
        ChunkedInput in = new ChunkedInput(wire(sent), Integer.MAX_VALUE);
        FrameReader reader = new FrameReader(in, new FrameBuffers(2));

        for (int i = 0; i < sent.size(); i++) {
            reader.read().release();
        }

        assertTrue(in.reads <= sent.size() + 1, in.reads + " reads for " + sent.size() + " frames");
    }

    /** Many small frames come in one read. */
    @Test
    void smallFramesShareReads() throws IOException {
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(Frame.of(FrameType.DATA, 1, new byte[50]));
        }
        ChunkedInput in = new ChunkedInput(wire(sent), Integer.MAX_VALUE);
        FrameReader reader = new FrameReader(in);

        for (int i = 0; i < sent.size(); i++) {
            reader.read();
        }

        assertEquals(1, in.reads);
    }

    @Test
    void truncatedLargeFrameSaysHowMuchArrived() throws IOException {
        byte[] whole = wire(List.of(Frame.of(FrameType.DATA, 1, new byte[Protocol.MAX_PAYLOAD])));
        byte[] cut = Arrays.copyOf(whole, whole.length - 100);
        FrameReader reader = new FrameReader(new ChunkedInput(cut, 5000), new FrameBuffers(1));

        ProtocolException e = assertThrows(ProtocolException.class, reader::read);

        assertEquals("connection closed inside a frame (65436 of 65536 bytes after the header)", e.getMessage());
    }

    private static byte[] wire(List<Frame> frames) throws IOException {
        return wire(frames, FrameProtection.NONE);
    }

    private static byte[] wire(List<Frame> frames, FrameProtection protection) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        writer.protectWith(protection);
        for (Frame frame : frames) {
            writer.write(Frame.of(frame.type(), frame.streamId(), frame.payload()));
        }
        return out.toByteArray();
    }

    /**
     * A stand-in for an encrypting protection: the payload is XORed with the sequence number's low byte, and
     * the tag is the sequence number followed by the sum of the plaintext bytes.
     */
    private static final class XorProtection implements FrameProtection {
        private long sequence;

        @Override
        public int tagLength() {
            return 16;
        }

        @Override
        public boolean encrypts() {
            return true;
        }

        @Override
        public void seal(byte[] frame, int length) {
            long sum = 0;
            for (int i = Protocol.HEADER_LENGTH; i < length; i++) {
                sum += frame[i];
                frame[i] ^= (byte) sequence;
            }
            writeLong(frame, length, sequence++);
            writeLong(frame, length + 8, sum);
        }

        @Override
        public void open(byte[] frame, int length) throws ProtocolException {
            long sum = 0;
            for (int i = Protocol.HEADER_LENGTH; i < length; i++) {
                frame[i] ^= (byte) sequence;
                sum += frame[i];
            }
            if (readLong(frame, length) != sequence++ || readLong(frame, length + 8) != sum) {
                throw new ProtocolException("frame " + (sequence - 1) + " failed its integrity check");
            }
        }

        private static void writeLong(byte[] bytes, int at, long value) {
            for (int i = 0; i < 8; i++) {
                bytes[at + i] = (byte) (value >>> (56 - 8 * i));
            }
        }

        private static long readLong(byte[] bytes, int at) {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[at + i] & 0xFF);
            }
            return value;
        }
    }

    /** Serves its bytes in reads of at most {@code chunk} bytes, and counts the reads. */
    private static final class ChunkedInput extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private int position;
        int reads;

        ChunkedInput(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the reader reads in blocks");
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            reads++;
            if (position == bytes.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, chunk), bytes.length - position);
            System.arraycopy(bytes, position, into, offset, count);
            position += count;
            return count;
        }
    }
}
