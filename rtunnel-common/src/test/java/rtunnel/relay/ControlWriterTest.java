package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.WindowUpdate;
import rtunnel.testing.Await;

/** The control connection's writer: order, coalescing, its memory budget and how it fails. No sockets. */
@Timeout(10)
class ControlWriterTest {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private ControlWriter writerTo(OutputStream out) {
        return new ControlWriter(new FrameWriter(out), failures::add);
    }

    private List<Frame> written() throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()));
        List<Frame> frames = new ArrayList<>();
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            frames.add(frame);
        }
        return frames;
    }

    private static Frame open(int stream) {
        return Frame.of(FrameType.OPEN, stream, new byte[] {1});
    }

    @Test
    void aPongJumpsTheQueueAndOnlyTheLatestOneWaits() throws IOException {
        ControlWriter writer = writerTo(wire);
        writer.send(open(1));
        writer.sendPong(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
        writer.send(open(2));
        writer.sendPong(new byte[] {0, 0, 0, 0, 0, 0, 0, 2});
        writer.sendFromStream(Frame.empty(FrameType.FIN, 3));
        List<Frame> frames = written();
        assertEquals(List.of(FrameType.PONG, FrameType.OPEN, FrameType.OPEN, FrameType.FIN),
                frames.stream().map(Frame::type).toList());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 2}, frames.get(0).payload());
    }

    @Test
    void windowGrantsForOneStreamAddUpIntoOneFrame() throws IOException {
        ControlWriter writer = writerTo(wire);
        writer.sendWindow(5, 100, false);
        writer.sendWindow(6, 1, false);
        writer.sendWindow(5, 200, false);
        writer.sendWindow(6, 2, true);
        List<Frame> frames = written();
        assertEquals(2, frames.size());
        assertEquals(new WindowUpdate(5, 300), WindowUpdate.from(frames.get(0)));
        assertEquals(new WindowUpdate(6, 3), WindowUpdate.from(frames.get(1)));
        assertEquals(0, writer.queuedBytes(), "everything written is off the books");
    }

    @Test
    void aQueueOverItsBudgetFailsTheConnectionOnceWithTheReason() {
        // Nothing drains (no writer thread): like a peer that asks and asks but never reads the answers.
        ControlWriter writer = writerTo(wire);
        int sent = 0;
        while (failures.isEmpty() && sent < 1_000_000) {
            writer.send(open(++sent));
        }
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("peer is not reading: "), failures.get(0));
        assertTrue(failures.get(0).endsWith(" bytes queued for it, over the budget of " + WriteQueue.BUDGET_BYTES),
                failures.get(0));
        long frameBytes = WriteQueue.memory(open(1));
        assertTrue(sent * frameBytes > WriteQueue.BUDGET_BYTES && (sent - 1) * frameBytes <= WriteQueue.BUDGET_BYTES,
                sent + " frames of " + frameBytes + " bytes");
        writer.send(open(++sent));
        assertEquals(1, failures.size(), "a closed writer takes nothing more and fails once");
    }

    @Test
    void aWriteThePeerDoesNotTakeIsMeasuredUntilItFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("Broken pipe");
            }
        };
        ControlWriter writer = writerTo(stuck);
        writer.start(new SocketThreads(false), "test-writer");
        assertEquals(0, writer.writeBlockedNanos(System.nanoTime()), "nothing is being written");
        writer.send(open(1));
        Await.until("the write to block", Duration.ofSeconds(5), () -> writer.writeBlockedNanos(System.nanoTime()) > 0);
        long blocked = writer.writeBlockedNanos(System.nanoTime() + Duration.ofSeconds(30).toNanos());
        assertTrue(blocked >= Duration.ofSeconds(30).toNanos(), blocked + " ns");
        release.countDown();
        Await.until("the failure to be reported", Duration.ofSeconds(5), () -> !failures.isEmpty());
        assertEquals(List.of("writing failed: Broken pipe"), failures);
        writer.await(5_000);
        assertEquals(0, writer.writeBlockedNanos(System.nanoTime()), "no write under way after the failure");
    }

    @Test
    void dataSendersWaitAboveTheHighWaterMark() throws Exception {
        ControlWriter writer = writerTo(wire);
        byte[] full = new byte[64 * 1024];
        int queued = 0;
        while (writer.queuedBytes() <= WriteQueue.HIGH_WATER_BYTES) {
            writer.send(Frame.of(FrameType.DATA, 1, full));
            queued++;
        }
        CountDownLatch sent = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try {
                writer.sendData(Frame.of(FrameType.DATA, 1, full));
                sent.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        Await.until("the sender to wait", Duration.ofSeconds(5), () -> sender.getState() == Thread.State.WAITING);
        assertEquals(1, sent.getCount(), "waiting, not sent");
        writer.sendFromStream(Frame.empty(FrameType.FIN, 1));
        sender.join(5_000);
        assertEquals(0, sent.getCount());
        assertTrue(written().size() >= queued + 1);
    }
}
