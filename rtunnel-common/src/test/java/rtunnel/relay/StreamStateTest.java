package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void thePeerMayNotSendPastItsWindow() throws Exception {
        StreamState state = new StreamState("stream 7");
        state.received(data(Protocol.MAX_PAYLOAD));
        for (int i = 1; i < Protocol.INITIAL_WINDOW / Protocol.MAX_PAYLOAD; i++) {
            state.received(data(Protocol.MAX_PAYLOAD));
        }
        ProtocolException over = assertThrows(ProtocolException.class, () -> state.received(data(1)));
        assertEquals("DATA of 1 bytes on stream 7 exceeds its window of 0", over.getMessage());
        state.consumed(10);
        state.received(data(10));
    }

    @Test
    void framesComeOutInOrderThenNullAtTheFin() throws Exception {
        StreamState state = new StreamState("stream 7");
        Frame first = data(3);
        Frame second = data(4);
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
