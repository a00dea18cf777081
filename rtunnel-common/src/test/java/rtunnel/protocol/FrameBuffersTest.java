package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Who owns a pooled frame buffer, and when it goes back. */
class FrameBuffersTest {

    @Test
    void releasedFrameGivesItsBufferToTheNextTaker() {
        FrameBuffers buffers = new FrameBuffers(4);
        byte[] buffer = buffers.take();
        Frame frame = new Frame(FrameType.DATA, 1, buffer, Protocol.MAX_PAYLOAD, buffers);

        frame.release();

        assertEquals(1, buffers.idle());
        assertSame(buffer, buffers.take());
    }

    @Test
    void releasingTwiceGivesTheBufferBackOnce() {
        FrameBuffers buffers = new FrameBuffers(4);
        Frame frame = new Frame(FrameType.DATA, 1, buffers.take(), 10, buffers);

        frame.release();
        frame.release();

        assertEquals(1, buffers.idle());
        assertNotSame(buffers.take(), buffers.take(), "one buffer handed to two owners");
    }

    @Test
    void releasedFrameNoLongerReachesTheBuffer() {
        FrameBuffers buffers = new FrameBuffers(4);
        Frame frame = new Frame(FrameType.DATA, 1, buffers.take(), 10, buffers);

        frame.release();

        assertNull(frame.buffer());
    }

    @Test
    void frameNotFromAPoolKeepsItsBuffer() {
        Frame frame = Frame.of(FrameType.DATA, 1, new byte[] {1, 2, 3});

        frame.release();

        assertNotNull(frame.buffer());
        assertEquals(3, frame.payload()[2]);
    }

    @Test
    void stockKeepsNoMoreThanItsCapacity() {
        FrameBuffers buffers = new FrameBuffers(2);
        byte[] first = buffers.take();
        byte[] second = buffers.take();
        byte[] third = buffers.take();

        buffers.give(first);
        buffers.give(second);
        buffers.give(third);

        assertEquals(2, buffers.idle());
    }

    @Test
    void emptyStockAllocatesFullSizeBuffers() {
        FrameBuffers buffers = new FrameBuffers(0);

        byte[] buffer = buffers.take();
        buffers.give(buffer);

        assertEquals(Frame.bufferSize(Protocol.MAX_PAYLOAD) + Protocol.HEADER_LENGTH, buffer.length);
        assertEquals(0, buffers.idle());
    }

    @Test
    void refusesABufferItDidNotHandOut() {
        FrameBuffers buffers = new FrameBuffers(2);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buffers.give(new byte[100]));

        assertEquals("buffer of 100 bytes is not a frame buffer", e.getMessage());
    }
}
