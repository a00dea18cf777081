package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.HostPort;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.FirehoseTarget;

@Timeout(120)
class TunnelEndToEndTest {

    @Test
    void bytesCrossBothWays() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            HostPort where = tunnel.nextBound();
            try (Socket visitor = RunningTunnel.visit(where)) {
                OutputStream out = visitor.getOutputStream();
                InputStream in = visitor.getInputStream();
                byte[] hello = "hello through the tunnel\n".getBytes(StandardCharsets.UTF_8);
                out.write(hello);
                assertArrayEquals(hello, in.readNBytes(hello.length));
                visitor.shutdownOutput();
                assertEquals(-1, in.read(), "the target's half-close reaches the visitor");
            }
        }
    }

    @Test
    void oneMebibyteArrivesIntact() throws Exception {
        transferAndCompare(1 << 20);
    }

    @Test
    void sixtyFourMebibytesArriveIntact() throws Exception {
        transferAndCompare(64 << 20);
    }

    /**
     * Bulk data on several streams at once, each with bytes of its own: the streams share the connection's
     * pooled frame buffers, so a buffer given back too early or to two owners would mix their bytes.
     */
    @Test
    void concurrentBulkStreamsKeepTheirOwnBytes() throws Exception {
        int streams = 6;
        int size = 8 << 20;
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            HostPort where = tunnel.nextBound();
            ExecutorService pool = Executors.newFixedThreadPool(streams);
            try {
                List<Future<byte[]>> hashes = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    int seed = i;
                    hashes.add(pool.submit(() -> {
                        try (Socket visitor = RunningTunnel.visit(where)) {
                            return echoThrough(visitor, size, new Random(seed));
                        }
                    }));
                }
                for (int i = 0; i < streams; i++) {
                    assertArrayEquals(sha256(size, new Random(i)), hashes.get(i).get(90, TimeUnit.SECONDS),
                            "stream " + i + " echoed its own bytes");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void transferAndCompare(int size) throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            HostPort where = tunnel.nextBound();
            try (Socket visitor = RunningTunnel.visit(where)) {
                byte[] sentHash = echoThrough(visitor, size, new Random(size));
                byte[] expected = sha256(size, new Random(size));
                assertArrayEquals(expected, sentHash, "the echoed bytes hash like the sent ones");
            }
        }
    }

    /** Writes {@code size} seeded random bytes on one thread while hashing what comes back on this one. */
    private static byte[] echoThrough(Socket visitor, int size, Random random) throws Exception {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = visitor.getOutputStream();
                byte[] chunk = new byte[32 * 1024];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, Math.min(chunk.length, size - sent));
                }
                visitor.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        InputStream in = visitor.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
            received += n;
        }
        writing.get(60, TimeUnit.SECONDS);
        assertEquals(size, received, "bytes echoed back");
        return digest.digest();
    }

    private static byte[] sha256(int size, Random random) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[32 * 1024];
        for (int sent = 0; sent < size; sent += chunk.length) {
            random.nextBytes(chunk);
            digest.update(chunk, 0, Math.min(chunk.length, size - sent));
        }
        return digest.digest();
    }

    @Test
    void twoHundredConcurrentStreamsAllEcho() throws Exception {
        int streams = 200;
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            HostPort where = tunnel.nextBound();
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    try (Socket visitor = RunningTunnel.visit(where)) {
                        return echoThrough(visitor, 64 * 1024, new Random(seed));
                    }
                }));
            }
            for (int i = 0; i < streams; i++) {
                assertArrayEquals(sha256(64 * 1024, new Random(i)), results.get(i).get(60, TimeUnit.SECONDS),
                        "stream " + i);
            }
            assertEquals(streams, target.accepted(), "one target connection per visitor");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void halfCloseReachesTheTargetAndItsAnswerStillFlows() throws Exception {
        try (ServerSocket counter = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> target = CompletableFuture.runAsync(() -> countUntilEnd(counter));
            try (RunningTunnel tunnel = RunningTunnel.start(counter.getLocalPort());
                    Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
                visitor.getOutputStream().write(new byte[12345]);
                visitor.shutdownOutput();
                String answer = new String(visitor.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertEquals("got 12345 bytes", answer);
                target.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A target that reads to end-of-stream, then answers with the count: only works if the FIN arrives. */
    private static void countUntilEnd(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            int count = socket.getInputStream().readAllBytes().length;
            socket.getOutputStream().write(("got " + count + " bytes").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStalledVisitorNeitherStallsOthersNorGrowsWithoutBound() throws Exception {
        try (FirehoseTarget firehose = new FirehoseTarget(); EchoTarget echo = new EchoTarget();
                RunningTunnel tunnel = RunningTunnel.start(firehose.port(), echo.port())) {
            HostPort firehosePort = tunnel.boundFor(firehose.port());
            HostPort echoPort = tunnel.boundFor(echo.port());
            try (Socket stalled = RunningTunnel.visit(firehosePort); Socket busy = RunningTunnel.visit(echoPort)) {
                stalled.getInputStream().read();
                int size = 16 << 20;
                assertArrayEquals(sha256(size, new Random(7)), echoThrough(busy, size, new Random(7)),
                        "the echo stream completes while the other stream is stalled");
                long poured = firehose.written();
                assertTrue(poured < 32L << 20, "the stalled stream buffered only its window and socket buffers, "
                        + "but the firehose wrote " + poured + " bytes");
            }
        }
    }
}
