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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        for (Frame frame : frames) {
            writer.write(Frame.of(frame.type(), frame.streamId(), frame.payload()));
        }
        return out.toByteArray();
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
