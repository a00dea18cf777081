package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.StreamOpen;
import rtunnel.protocol.StreamReset;
import rtunnel.testing.Await;

/** Dispatch, stream ids, the window budget and thread exhaustion, with frames fed and read as bytes. */
@Timeout(20)
class MultiplexerTest {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final ControlWriter writer = new ControlWriter(new FrameWriter(wire), reason -> { });
    private final List<Socket> sockets = new ArrayList<>();
    private final ServerSocket listener;

    MultiplexerTest() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        listener.close();
    }

    private Multiplexer multiplexer(byte[] incoming, SocketThreads threads, WindowBudget budget) {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(incoming));
        return new Multiplexer("test", reader, writer, threads, new FrameBuffers(0), budget);
    }

    private static byte[] frames(Frame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter frameWriter = new FrameWriter(out);
        for (Frame frame : frames) {
            frameWriter.write(frame);
        }
        frameWriter.flush();
        return out.toByteArray();
    }

    private List<Frame> written() throws IOException {
        writer.sendFromStream(Frame.empty(FrameType.GOAWAY, 0));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()));
        List<Frame> read = new ArrayList<>();
        for (Frame frame = reader.read(); frame != null && frame.type() != FrameType.GOAWAY; frame = reader.read()) {
            read.add(frame);
        }
        return read;
    }

    /** A visitor: the server side of a loopback connection (the test keeps the other end). */
    private Socket visitor() throws IOException {
        Socket far = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        Socket near = listener.accept();
        sockets.add(far);
        sockets.add(near);
        return near;
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsBytes() throws IOException {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
        multiplexer(frames(Frame.of(FrameType.PING, 0, payload)), new SocketThreads(), new WindowBudget()).run();
        List<Frame> answers = written();
        assertEquals(1, answers.size());
        assertEquals(FrameType.PONG, answers.get(0).type());
        assertArrayEquals(payload, answers.get(0).payload());
    }

    @Test
    void aFrameForAStreamNeverOpenedIsAProtocolError() throws IOException {
        Multiplexer mux = multiplexer(frames(Frame.of(FrameType.WINDOW, 9, new byte[] {0, 0, 0, 1})),
                new SocketThreads(), new WindowBudget());
        assertEquals("WINDOW for stream 9, which was never opened",
                assertThrows(ProtocolException.class, mux::run).getMessage());
    }

    @Test
    void visitorsBeyondTheWindowBudgetAreTurnedAwayAndTheirShareComesBack() throws IOException {
        WindowBudget budget = new WindowBudget(2L * Protocol.INITIAL_WINDOW);
        Multiplexer mux = multiplexer(new byte[0], new SocketThreads(), budget);
        AtomicInteger ended = new AtomicInteger();
        assertNotNull(mux.openStream(1, visitor(), "t", ended::incrementAndGet, StreamMeter.NONE));
        Stream second = mux.openStream(1, visitor(), "t", ended::incrementAndGet, StreamMeter.NONE);
        assertNotNull(second);
        Socket third = visitor();
        assertNull(mux.openStream(1, third, "t", ended::incrementAndGet, StreamMeter.NONE), "over budget");
        assertEquals(1, ended.get(), "the turned-away visitor is counted as ended");
        assertEquals(2L * Protocol.INITIAL_WINDOW, budget.promised());
        second.abort(true, "test is done with it");
        Await.until("the ended stream's window to come back", Duration.ofSeconds(5),
                () -> budget.promised() == Protocol.INITIAL_WINDOW);
        assertNotNull(mux.openStream(1, visitor(), "t", ended::incrementAndGet, StreamMeter.NONE));
        mux.closeStreams();
        Await.until("every window to come back", Duration.ofSeconds(5), () -> budget.promised() == 0);
    }

    @Test
    void aClientOverItsBudgetResetsTheNewStreamWithTheReason() throws IOException {
        Multiplexer mux = multiplexer(new byte[0], new SocketThreads(), new WindowBudget(Protocol.INITIAL_WINDOW - 1));
        AtomicInteger ended = new AtomicInteger();
        StreamOpen open = new StreamOpen(4, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5555));
        assertNull(mux.acceptStream(open, () -> {
            throw new AssertionError("no socket may be opened");
        }, "t", ended::incrementAndGet, StreamMeter.NONE));
        assertEquals(1, ended.get());
        List<Frame> answers = written();
        assertEquals(1, answers.size());
        assertEquals("client's window budget of " + (Protocol.INITIAL_WINDOW - 1) + " bytes is spent",
                StreamReset.from(answers.get(0)).reason());
    }

    @Test
    void aStreamThatGetsNoThreadIsResetAndTheNextOneWorks() throws Exception {
        SocketThreads threads = new SocketThreads(false, 2);
        CountDownLatch hold = new CountDownLatch(1);
        threads.start("occupier", () -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        threads.start("occupier-2", () -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Multiplexer mux = multiplexer(new byte[0], threads, new WindowBudget());
        AtomicInteger ended = new AtomicInteger();
        Socket visitor = visitor();
        assertNull(mux.openStream(1, visitor, "t", ended::incrementAndGet, StreamMeter.NONE));
        assertEquals(1, ended.get());
        List<Frame> answers = written();
        assertEquals(List.of(FrameType.OPEN, FrameType.RESET), answers.stream().map(Frame::type).toList());
        assertEquals("cannot start thread rtunnel-stream-t/1-write: 2 threads busy",
                StreamReset.from(answers.get(1)).reason());
        assertEquals(0, mux.openStreams());
        hold.countDown();
        Await.until("the occupiers to end", Duration.ofSeconds(5),
                () -> mux.openStream(1, unchecked(this::visitor), "t", ended::incrementAndGet, StreamMeter.NONE) != null);
    }

    @Test
    void aStreamTheClientCannotStartIsResetWithoutHoldingUpTheReader() throws Exception {
        SocketThreads threads = new SocketThreads(false, 1);
        CountDownLatch hold = new CountDownLatch(1);
        threads.start("occupier", () -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Multiplexer mux = multiplexer(new byte[0], threads, new WindowBudget());
        AtomicInteger ended = new AtomicInteger();
        StreamOpen open = new StreamOpen(4, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5555));
        Stream stream = mux.acceptStream(open, () -> {
            throw new AssertionError("no socket may be opened");
        }, "t", ended::incrementAndGet, StreamMeter.NONE);
        assertNotNull(stream, "accepted at once; its thread is started elsewhere");
        Await.until("the stream to be reset", Duration.ofSeconds(5), () -> ended.get() == 1);
        hold.countDown();
        List<Frame> answers = written();
        assertEquals(List.of(FrameType.RESET), answers.stream().map(Frame::type).toList());
        assertEquals("cannot start thread rtunnel-stream-t/4-write: 1 threads busy",
                StreamReset.from(answers.get(0)).reason());
        assertEquals(0, mux.openStreams());
    }

    @Test
    void onPlatformThreadsAnIdleStreamsWriterEndsAndTheNextFramesStartAnother() throws Exception {
        PipedOutputStream peer = new PipedOutputStream();
        FrameWriter peerFrames = new FrameWriter(peer);
        FrameReader reader = new FrameReader(new PipedInputStream(peer, 1 << 16));
        Multiplexer mux = new Multiplexer("test", reader, writer, new SocketThreads(false), new FrameBuffers(0),
                new WindowBudget());
        Thread dispatching = new Thread(() -> unchecked(() -> {
            mux.run();
            return null;
        }), "test-dispatch");
        dispatching.start();
        Socket visitor = visitor();
        Socket far = sockets.get(sockets.size() - 2);
        far.setSoTimeout(10_000);
        assertNotNull(mux.openStream(1, visitor, "t", () -> { }, StreamMeter.NONE));

        peerFrames.write(Frame.of(FrameType.DATA, 1, "one".getBytes(StandardCharsets.US_ASCII)));
        peerFrames.flush();
        assertArrayEquals("one".getBytes(StandardCharsets.US_ASCII), far.getInputStream().readNBytes(3));
        Await.until("the idle writer to end", Duration.ofNanos(Stream.IDLE_WRITER_NANOS * 3),
                () -> !threadNamed("rtunnel-stream-t/1-write"));

        peerFrames.write(Frame.of(FrameType.DATA, 1, "two".getBytes(StandardCharsets.US_ASCII)));
        peerFrames.write(Frame.empty(FrameType.FIN, 1));
        peerFrames.flush();
        assertArrayEquals("two".getBytes(StandardCharsets.US_ASCII), far.getInputStream().readNBytes(3));
        assertEquals(-1, far.getInputStream().read(), "the peer's FIN reached the socket after the frames");
        peer.close();
        dispatching.join(10_000);
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name));
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
