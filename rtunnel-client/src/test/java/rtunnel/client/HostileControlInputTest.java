package rtunnel.client;

import static org.junit.jupiter.api.Assertions.fail;
import java.util.List;
import java.util.ArrayList;
import java.net.ServerSocket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.auth.ClientHandshake;
import rtunnel.auth.FrameExchange;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenAccepted;
import rtunnel.protocol.ListenRefused;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.SessionError;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/** Whatever arrives on the control port, live tunnels keep moving data and the server keeps accepting. */
@Timeout(60)
class HostileControlInputTest {

    private EchoTarget target;
    private RunningTunnel tunnel;
    private Socket liveVisitor;
    private HostPort publicPort;

    @BeforeEach
    void startLiveTunnel() throws Exception {
        target = new EchoTarget();
        tunnel = RunningTunnel.start(target.port());
        publicPort = tunnel.nextBound();
        liveVisitor = RunningTunnel.visit(publicPort);
        assertEchoes(liveVisitor, "before");
    }

    @AfterEach
    void stop() throws IOException {
        liveVisitor.close();
        tunnel.close();
        target.close();
    }

    static Stream<Arguments> garbage() {
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        return Stream.of(
                Arguments.of("an HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("a TLS client hello", HexFormat.of().parseHex("1603010200010001fc0303")),
                Arguments.of("random bytes", random),
                Arguments.of("another protocol version", "rtunnel\u0001".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("a giant frame length", concat(preamble(), HexFormat.of().parseHex("7fffffff0100000000"))),
                Arguments.of("an unknown frame type", concat(preamble(), HexFormat.of().parseHex("000000007f00000000"))),
                Arguments.of("a truncated frame", concat(preamble(), HexFormat.of().parseHex("0000"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageClosesOnlyThatConnection(String what, byte[] bytes) throws Exception {
        try (Socket hostile = connectToControl()) {
            OutputStream out = hostile.getOutputStream();
            out.write(bytes);
            out.flush();
            hostile.shutdownOutput();
            readUntilClosed(hostile);
        }
        assertEchoes(liveVisitor, "after " + what);
        try (Socket fresh = RunningTunnel.visit(publicPort)) {
            assertEchoes(fresh, "new visitor after " + what);
        }
    }

    @Test
    void aFrameForANeverOpenedStreamEndsThatSessionWithTheReason() throws Exception {
        try (Socket hostile = connectToControl()) {
            FrameExchange exchange = handshake(hostile);
            exchange.writer().write(Frame.of(FrameType.DATA, 5, new byte[] {1, 2, 3}));
            exchange.writer().flush();
            Frame answer = exchange.reader().read();
            assertEquals(FrameType.ERROR, answer.type());
            assertEquals("DATA for stream 5, which was never opened", SessionError.from(answer).reason());
        }
        assertEchoes(liveVisitor, "after a stray DATA frame");
    }

    @Test
    void aForgedTagEndsThatSessionWithTheReason() throws Exception {
        try (Socket hostile = connectToControl()) {
            FrameExchange exchange = handshake(hostile);
            // A PING with an all-zero tag: the server must refuse it, not answer it.
            OutputStream out = hostile.getOutputStream();
            out.write(HexFormat.of().parseHex("000000083000000000"));
            out.write(new byte[8 + 32]);
            out.flush();
            Frame answer = exchange.reader().read();
            assertEquals(FrameType.ERROR, answer.type());
            assertEquals("frame 1 failed its integrity check", SessionError.from(answer).reason());
        }
        assertEchoes(liveVisitor, "after a forged frame");
    }

    /**
     * LISTENs beyond the tunnel limit are refused (LIMIT), not a protocol error; a client that floods them
     * without reading the refusals is cut off by the write queue's budget, and others keep their tunnels.
     */
    @Test
    void aListenFloodThatReadsNoRefusalEndsOnlyThatSession() throws Exception {
        List<Refusal> refusals = new ArrayList<>();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket hostile = new Socket()) {
            hostile.setReceiveBufferSize(4096);
            hostile.connect(tunnel.server.controlAddress());
            hostile.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
            FrameExchange exchange = handshake(hostile);
            try {
                for (int id = 1; id <= 500_000; id++) {
                    exchange.writer().write(new ListenRequest(id, new HostPort("127.0.0.1", taken.getLocalPort()))
                            .toFrame());
                }
                exchange.writer().flush();
                fail("the server read 500,000 LISTENs and never gave up on a client that reads nothing");
            } catch (SocketException cutOff) {
                // Expected: the server closed the connection of a peer that did not read its answers.
            }
            try {
                for (Frame frame = exchange.reader().read(); frame != null; frame = exchange.reader().read()) {
                    if (frame.type() == FrameType.LISTEN_REFUSED) {
                        refusals.add(ListenRefused.from(frame).refusal());
                    }
                }
            } catch (SocketException | ProtocolException cut) {
                // The server closed with our LISTENs unread: its last answers may be lost to the reset, or cut.
            }
        }
        assertTrue(refusals.contains(Refusal.LIMIT), "LIMIT among " + refusals.size() + " refusals");
        assertTrue(refusals.stream().allMatch(refusal -> refusal == Refusal.PORT_IN_USE || refusal == Refusal.LIMIT),
                refusals.toString());
        assertEchoes(liveVisitor, "after a LISTEN flood");
    }

    @Test
    void aReusedTunnelIdIsRefusedAndLeaksNoPort() throws Exception {
        HostPort first;
        try (Socket hostile = connectToControl()) {
            FrameExchange exchange = handshake(hostile);
            for (int i = 0; i < 3; i++) {
                exchange.writer().write(new ListenRequest(1, new HostPort("127.0.0.1", 0)).toFrame());
            }
            exchange.writer().flush();
            first = ListenAccepted.from(nextSessionFrame(exchange)).bound();
            for (int i = 0; i < 2; i++) {
                ListenRefused refused = ListenRefused.from(nextSessionFrame(exchange));
                assertEquals(Refusal.BAD_REQUEST, refused.refusal());
                assertEquals("tunnel id 1 is already in use", refused.reason());
            }
        }
        HostPort held = first;
        Await.until("the hostile client's port is released", RunningTunnel.WAIT, () -> ReliabilityTest.refuses(held));
        assertEchoes(liveVisitor, "after a reused tunnel id");
    }

    /** The next frame that is not a keep-alive. */
    private static Frame nextSessionFrame(FrameExchange exchange) throws IOException {
        Frame frame = exchange.reader().read();
        while (frame.type() == FrameType.PING) {
            frame = exchange.reader().read();
        }
        return frame;
    }

    private FrameExchange handshake(Socket socket) throws IOException {
        FrameExchange exchange = new FrameExchange(new FrameReader(new BufferedInputStream(socket.getInputStream())),
                new FrameWriter(new BufferedOutputStream(socket.getOutputStream())));
        new ClientHandshake(new SecureRandom(), new byte[16], null, null).run(exchange);
        return exchange;
    }

    private Socket connectToControl() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.server.controlAddress().getPort());
        socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return socket;
    }

    /** Reads whatever the server says until it closes the connection; a read timeout fails the test. */
    private static byte[] readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                said.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
        return said.toByteArray();
    }

    private static void assertEchoes(Socket visitor, String when) throws IOException {
        byte[] message = ("ping " + when).getBytes(StandardCharsets.UTF_8);
        visitor.getOutputStream().write(message);
        assertEquals(new String(message, StandardCharsets.UTF_8),
                new String(visitor.getInputStream().readNBytes(message.length), StandardCharsets.UTF_8), when);
    }

    private static byte[] preamble() {
        return Protocol.preamble();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
