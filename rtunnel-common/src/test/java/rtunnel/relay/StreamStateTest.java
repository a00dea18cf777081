package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/** Flow control and half-close bookkeeping, without sockets. */
@Timeout(10)
class StreamStateTest {

    private static Frame data(int length) {
        return new Frame(FrameType.DATA, 7, new byte[Frame.bufferSize(length)], length);
    }

    private static Frame dataOf(byte... payload) {
        return Frame.of(FrameType.DATA, 7, payload);
    }

    private static byte[] bytesOf(Frame frame) {
        return Arrays.copyOfRange(frame.buffer(), Protocol.HEADER_LENGTH, Protocol.HEADER_LENGTH + frame.length());
    }

    @Test
    void thePeerMayNotSendPastItsWindow() throws Exception {
        StreamState state = new StreamState("stream 7");
        state.received(data(Protocol.INITIAL_WINDOW - 10));
        state.received(data(10));
        ProtocolException over = assertThrows(ProtocolException.class, () -> state.received(data(1)));
        assertEquals("DATA of 1 bytes on stream 7 exceeds its window of 0", over.getMessage());
        state.consumed(10);
        state.received(data(10));
    }

    @Test
    void aWriterParksOnlyWhenIdleAndTheNextFrameOrFinAsksForANewOneOnce() throws Exception {
        StreamState state = new StreamState("stream 7");
        assertFalse(state.received(dataOf((byte) 1)), "no writer has parked yet");
        assertFalse(state.parkWhenIdle(0), "a frame waits: the writer goes on");
        state.nextReceived();
        assertTrue(state.parkWhenIdle(1_000_000), "nothing for 1 ms: the writer parks");
        assertTrue(state.received(dataOf((byte) 2)), "the first frame after parking starts a writer");
        assertFalse(state.received(dataOf((byte) 3)), "only once");
        assertFalse(state.parkWhenIdle(0));
        state.nextReceived();
        assertTrue(state.parkWhenIdle(0));
        assertTrue(state.peerFinished(), "the FIN after parking starts a writer to shut the socket down");
        assertFalse(state.parkWhenIdle(0), "the FIN is work for the writer");
        assertNull(state.nextReceived());
    }

    @Test
    void anEndedStreamNeedsNoNewWriter() throws Exception {
        StreamState state = new StreamState("stream 7");
        assertTrue(state.parkWhenIdle(0));
        state.end();
        assertFalse(state.received(dataOf((byte) 1)));
        assertFalse(state.peerFinished());
        assertFalse(state.parkWhenIdle(0), "the end is work: the writer sees it and stops");
    }

    @Test
    void largeFramesComeOutAsTheyArrivedThenNullAtTheFin() throws Exception {
        StreamState state = new StreamState("stream 7");
        Frame first = data(ReceivedFrames.SMALL_FRAME_BYTES);
        Frame second = data(ReceivedFrames.SMALL_FRAME_BYTES + 1);
        state.received(first);
        state.received(second);
        state.peerFinished();
        assertSame(first, state.nextReceived());
        assertSame(second, state.nextReceived());
        assertNull(state.nextReceived());
        assertEquals("DATA on stream 7 after its FIN",
                assertThrows(ProtocolException.class, () -> state.received(data(1))).getMessage());
        assertEquals("second FIN on stream 7",
                assertThrows(ProtocolException.class, state::peerFinished).getMessage());
    }

    @Test
    void smallFramesAreGatheredInOrderBetweenLargeOnes() throws Exception {
        StreamState state = new StreamState("stream 7");
        state.received(dataOf((byte) 1));
        state.received(dataOf((byte) 2, (byte) 3));
        Frame large = data(ReceivedFrames.SMALL_FRAME_BYTES);
        state.received(large);
        state.received(dataOf((byte) 4));
        state.peerFinished();
        assertArrayEquals(new byte[] {1, 2, 3}, bytesOf(state.nextReceived()));
        assertSame(large, state.nextReceived());
        assertArrayEquals(new byte[] {4}, bytesOf(state.nextReceived()));
        assertNull(state.nextReceived());
    }

    @Test
    void aTrickleOfOneByteFramesHoldsAboutItsBytesNotAFramePerByte() throws Exception {
        // A visitor trickling single bytes makes the peer send one-byte frames; a stalled socket must not
        // turn a 16 KiB window into 16,384 frame objects.
        StreamState state = new StreamState("stream 7");
        for (int i = 0; i < Protocol.INITIAL_WINDOW; i++) {
            state.received(dataOf((byte) i));
        }
        int frames = 0;
        long held = 0;
        for (int total = 0; total < Protocol.INITIAL_WINDOW; frames++) {
            Frame frame = state.nextReceived();
            total += frame.length();
            held += frame.buffer().length;
        }
        assertTrue(frames <= Protocol.INITIAL_WINDOW / 512 + 1, frames + " frames");
        assertTrue(held <= 2L * Protocol.INITIAL_WINDOW, held + " bytes held for " + Protocol.INITIAL_WINDOW);
    }

    @Test
    void sendingWaitsForWindowAndNeverExceedsIt() throws Exception {
        StreamState state = new StreamState("stream 7");
        assertEquals(100, state.awaitSendWindow(100));
        state.spent(Protocol.INITIAL_WINDOW - 10);
        assertEquals(10, state.awaitSendWindow(100), "only what the window still allows");
        state.spent(10);
        state.granted(50);
        assertEquals(50, state.awaitSendWindow(100));
        assertEquals("WINDOW on stream 7 grows it past 2147483647",
                assertThrows(ProtocolException.class, () -> state.granted(Integer.MAX_VALUE)).getMessage());
    }

    @Test
    void endingWakesEveryWaiterAndHappensOnce() throws Exception {
        StreamState state = new StreamState("stream 7");
        state.spent(Protocol.INITIAL_WINDOW);
        Thread sender = new Thread(() -> {
            try {
                assertEquals(0, state.awaitSendWindow(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertTrue(state.end());
        assertFalse(state.end(), "a stream ends once");
        sender.join(5_000);
        assertFalse(sender.isAlive(), "the waiting sender woke up");
        assertNull(state.nextReceived());
        assertFalse(state.isOpen());
    }

    @Test
    void theStreamEndsWhenBothDirectionsAreDone() {
        StreamState state = new StreamState("stream 7");
        assertFalse(state.directionDone(true));
        assertTrue(state.directionDone(false));
        assertFalse(state.isOpen());
    }
}
