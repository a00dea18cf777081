package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.ClientHandshake;
import rtunnel.auth.FrameExchange;
import rtunnel.policy.PortRange;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenAccepted;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.WindowUpdate;
import rtunnel.relay.SocketThreads;
import rtunnel.server.ServerEvents;
import rtunnel.server.ServerLimits;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/**
 * Liveness as an attacker tests it: a peer that keeps talking but never reads is dropped within the timeout,
 * and a flood of visitors slows the tunnel but never resets a bystander's stream or the session.
 */
@Timeout(120)
class LivenessTest {

    /** The server's keep-alive in these tests: the peer is dead after four of them. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    private static final Duration DEAD_AFTER = KEEP_ALIVE.multipliedBy(ServerSettings.SILENT_INTERVALS_BEFORE_DEAD);

    /** Visitors held open at once in the flood: a few thousand threads in this one JVM on Java 17. */
    private static final int FLOOD_VISITORS = 1_000;

    @Test
    void aClientThatKeepsSendingButNeverReadsIsDroppedWithinTheTimeout() throws Exception {
        List<String> ended = new CopyOnWriteArrayList<>();
        CountDownLatch dropped = new CountDownLatch(1);
        ServerSettings settings = new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                PortRange.ALL, KEEP_ALIVE, null, Files.createTempDirectory("rtunnel-host").resolve("host_key"),
                ServerLimits.DEFAULTS);
        try (TunnelServer server = new TunnelServer(settings, new SocketThreads(), new ServerEvents() {
            @Override
            public void clientDisconnected(String client, String reason) {
                ended.add(reason);
                dropped.countDown();
            }
        })) {
            server.start();
            try (Socket hostile = new Socket()) {
                hostile.setReceiveBufferSize(4096);
                hostile.connect(server.controlAddress());
                FrameWriter writer = new FrameWriter(new BufferedOutputStream(hostile.getOutputStream()));
                FrameExchange exchange = new FrameExchange(
                        new FrameReader(new BufferedInputStream(hostile.getInputStream())), writer);
                new ClientHandshake(new SecureRandom(), new byte[16], null, null).run(exchange);
                writer.write(new ListenRequest(1, new HostPort("127.0.0.1", 0)).toFrame());
                writer.flush();
                Frame answer = exchange.reader().read();
                while (answer.type() == FrameType.PING) {
                    answer = exchange.reader().read();
                }
                HostPort where = ListenAccepted.from(answer).bound();
                // A visitor pours bytes in, and the hostile client grants the server a gigabyte of window on
                // the visitor's stream but never reads a byte of it: the server's writes stall.
                try (Socket visitor = RunningTunnel.visit(where)) {
                    for (Frame frame = exchange.reader().read(); frame.type() != FrameType.OPEN; ) {
                        frame = exchange.reader().read();
                    }
                    writer.write(new WindowUpdate(1, 1 << 30).toFrame());
                    writer.flush();
                    CompletableFuture.runAsync(() -> pour(visitor));
                    long start = System.nanoTime();
                    long deadline = start + DEAD_AFTER.multipliedBy(3).toNanos();
                    // A PING every tenth of a second keeps it talking: only what it does not read gives it away.
                    try {
                        while (!dropped.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() - deadline < 0) {
                            writer.write(Frame.of(FrameType.PING, 0, new byte[8]));
                            writer.flush();
                        }
                    } catch (IOException closedByTheServer) {
                        // The server hung up on us: what this test waits for.
                    }
                    assertTrue(dropped.await(DEAD_AFTER.toMillis(), TimeUnit.MILLISECONDS), "the session was dropped");
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertTrue(ended.get(0).startsWith("dead link, peer stopped reading: a write has been blocked for ")
                            || ended.get(0).startsWith("peer is not reading: "), ended.get(0));
                    assertTrue(took.compareTo(DEAD_AFTER.multipliedBy(2)) < 0, "dropped after " + took);
                    Await.until("the session to be forgotten", RunningTunnel.WAIT, () -> server.clients() == 0);
                }
            }
        }
    }

    /** Writes to the visitor's socket until it is closed. */
    private static void pour(Socket visitor) {
        byte[] chunk = new byte[64 * 1024];
        try {
            OutputStream out = visitor.getOutputStream();
            while (true) {
                out.write(chunk);
            }
        } catch (IOException closed) {
            // The tunnel or the test closed it: pouring is over.
        }
    }

    @Test
    void aVisitorFloodNeverResetsABystanderStreamOrTheSession() throws Exception {
        try (EchoTarget echo = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(echo.port())) {
            HostPort where = tunnel.nextBound();
            try (Socket bystander = RunningTunnel.visit(where)) {
                CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readDigest(bystander, 8 << 20));
                List<Socket> flood = new ArrayList<>();
                try {
                    OutputStream out = bystander.getOutputStream();
                    MessageDigest sent = MessageDigest.getInstance("SHA-256");
                    byte[] chunk = new byte[64 * 1024];
                    Random random = new Random(7);
                    for (int written = 0; written < 8 << 20; written += chunk.length) {
                        random.nextBytes(chunk);
                        sent.update(chunk);
                        out.write(chunk);
                        if (flood.size() < FLOOD_VISITORS) {
                            for (int i = 0; i < FLOOD_VISITORS / 64 && flood.size() < FLOOD_VISITORS; i++) {
                                Socket visitor = RunningTunnel.visit(where);
                                flood.add(visitor);
                                visitor.getOutputStream().write('x');
                            }
                        }
                    }
                    assertArrayEquals(sent.digest(), echoed.get(), "the bystander's bytes came back whole");
                } finally {
                    for (Socket visitor : flood) {
                        visitor.close();
                    }
                }
                assertEquals(FLOOD_VISITORS, flood.size());
                assertFalse(tunnel.clientRun.isDone(), "the client never lost its session: " + tunnel.clientRun);
            }
        }
    }

    private static byte[] readDigest(Socket socket, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int read = 0; read < length; ) {
                int n = in.read(buffer, 0, Math.min(buffer.length, length - read));
                if (n < 0) {
                    throw new IOException("the bystander's stream ended after " + read + " bytes");
                }
                digest.update(buffer, 0, n);
                read += n;
            }
            return digest.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
