package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.FrameWriter;
import rtunnel.testing.Await;

/**
 * How the keep-alive judges the peer: by what happens at the socket, checked at chosen instants so that no
 * test waits for a timeout to pass.
 */
@Timeout(10)
class KeepAliveTest {

    private static final Duration PING_AFTER = Duration.ofSeconds(2);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(8);

    /** A socket input whose reads block until released, and whose count of unread bytes the test sets. */
    private static final class HeldInput extends InputStream {
        final CountDownLatch release = new CountDownLatch(1);
        volatile int pending;

        @Override
        public int read() throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public int available() {
            return pending;
        }
    }

    private final HeldInput socket = new HeldInput();
    private final WatchedInput input = new WatchedInput(socket);
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final ControlWriter writer = new ControlWriter(new FrameWriter(wire), reason -> { });
    private final List<String> deaths = new CopyOnWriteArrayList<>();
    private final KeepAlive keepAlive = new KeepAlive(input, writer, PING_AFTER, DEAD_AFTER, deaths::add);
    private Thread reader;

    @AfterEach
    void releaseTheReader() throws InterruptedException {
        socket.release.countDown();
        if (reader != null) {
            reader.join(5_000);
        }
    }

    private void readerWaits() {
        reader = new Thread(() -> {
            try {
                input.read();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        reader.start();
        Await.until("the reader to wait in read", Duration.ofSeconds(5), () -> input.silentNanos(System.nanoTime()) > 0
                || reader.getState() == Thread.State.WAITING);
    }

    private static long later(Duration by) {
        return System.nanoTime() + by.toNanos();
    }

    @Test
    void aReaderThatIsBusyOrStarvedNeverMakesThePeerLookDead() {
        // No thread is in a read: whatever this side is doing, the peer cannot be blamed for it.
        keepAlive.check(later(Duration.ofHours(1)));
        assertEquals(List.of(), deaths);
    }

    @Test
    void bytesWaitingUnreadProveThePeerAlive() {
        readerWaits();
        socket.pending = 1;
        keepAlive.check(later(DEAD_AFTER.multipliedBy(10)));
        assertEquals(List.of(), deaths);
    }

    @Test
    void aPeerSilentWhileWeWaitForItIsDeadOnce() {
        readerWaits();
        keepAlive.check(later(DEAD_AFTER.minusSeconds(1)));
        assertEquals(List.of(), deaths, "not yet");
        keepAlive.check(later(DEAD_AFTER.plusSeconds(1)));
        keepAlive.check(later(DEAD_AFTER.plusSeconds(2)));
        assertEquals(1, deaths.size());
        assertTrue(deaths.get(0).matches("nothing received for \\d+ ms"), deaths.get(0));
    }

    @Test
    void aPeerThatTakesNoneOfOurBytesIsDeadThoughItStillSends() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ControlWriter stuck = new ControlWriter(new FrameWriter(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }), reason -> { });
        KeepAlive judge = new KeepAlive(input, stuck, PING_AFTER, DEAD_AFTER, deaths::add);
        stuck.start(new SocketThreads(false), "stuck-writer");
        stuck.sendPong(new byte[8]);
        Await.until("the write to block", Duration.ofSeconds(5), () -> stuck.writeBlockedNanos(System.nanoTime()) > 0);
        judge.check(later(DEAD_AFTER.plusSeconds(1)));
        release.countDown();
        stuck.close();
        assertEquals(1, deaths.size());
        assertTrue(deaths.get(0).matches("peer stopped reading: a write has been blocked for \\d+ ms"), deaths.get(0));
    }

    @Test
    void aPingLeavesWhenWeHaveSentNothingForAWhile() {
        keepAlive.check(System.nanoTime());
        assertEquals(0, writer.queuedBytes(), "just written: no ping");
        keepAlive.check(later(PING_AFTER.plusMillis(1)));
        assertTrue(writer.queuedBytes() > 0, "a ping is queued");
    }
}
