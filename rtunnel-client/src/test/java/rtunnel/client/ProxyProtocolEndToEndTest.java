package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import rtunnel.cli.ExitCodes;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;

/** --proxy-protocol from the command line to a target that reads the header, our own and HAProxy. */
@Timeout(60)
class ProxyProtocolEndToEndTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void v1TellsTheTargetTheVisitorsAddressBeforeItsBytes() throws Exception {
        try (ServerSocket target = target(); RunningTunnel tunnel = start(target, ProxyProtocol.V1)) {
            HostPort where = tunnel.nextBound();
            try (Socket visitor = RunningTunnel.visit(where); Socket relayed = accept(target)) {
                visitor.getOutputStream().write(HELLO);
                String expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + visitor.getLocalPort() + " " + where.port()
                        + "\r\n";
                InputStream in = relayed.getInputStream();
                assertEquals(expected, new String(in.readNBytes(expected.length()), StandardCharsets.US_ASCII));
                assertArrayEquals(HELLO, in.readNBytes(HELLO.length));
            }
        }
    }

    @Test
    void v2TellsTheTargetTheVisitorsAddressBeforeItsBytes() throws Exception {
        try (ServerSocket target = target(); RunningTunnel tunnel = start(target, ProxyProtocol.V2)) {
            HostPort where = tunnel.nextBound();
            try (Socket visitor = RunningTunnel.visit(where); Socket relayed = accept(target)) {
                visitor.getOutputStream().write(HELLO);
                ByteBuffer expected = ByteBuffer.allocate(28).put(ProxyHeader.V2_SIGNATURE)
                        .put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                        .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1})
                        .putShort((short) visitor.getLocalPort()).putShort((short) where.port());
                InputStream in = relayed.getInputStream();
                assertArrayEquals(expected.array(), in.readNBytes(28));
                assertArrayEquals(HELLO, in.readNBytes(HELLO.length));
            }
        }
    }

    @Test
    void aTunnelWithoutTheFlagSendsOnlyTheVisitorsBytes() throws Exception {
        try (ServerSocket target = target(); RunningTunnel tunnel = start(target, ProxyProtocol.NONE)) {
            try (Socket visitor = RunningTunnel.visit(tunnel.nextBound()); Socket relayed = accept(target)) {
                visitor.getOutputStream().write(HELLO);
                visitor.shutdownOutput();
                assertArrayEquals(HELLO, relayed.getInputStream().readAllBytes());
            }
        }
    }

    /**
     * HAProxy, a real receiver, takes the visitor's address from the header: its X-Forwarded-For names
     * 127.0.0.2, where the visitor connected from, not 127.0.0.1, where the client connects to it from.
     */
    @ParameterizedTest
    @EnumSource(value = ProxyProtocol.class, names = {"V1", "V2"})
    void haproxyForwardsTheVisitorsAddressFromTheHeader(ProxyProtocol version) throws Exception {
        RunningHaproxy.assumeInstalled();
        try (ServerSocket backend = target()) {
            int front = RunningHaproxy.freePort();
            try (RunningHaproxy haproxy = RunningHaproxy.start(dir, config(front, backend), front, RunningTunnel.WAIT);
                    RunningTunnel tunnel = RunningTunnel.start(PortRange.ALL, List.of(
                        new TunnelSpec(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", front), version)))) {
                HostPort where = tunnel.nextBound();
                try (Socket visitor = visitFrom(new byte[] {127, 0, 0, 2}, where)) {
                    visitor.getOutputStream().write(("GET /who HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    List<String> request = answer(backend);
                    assertTrue(request.contains("x-forwarded-for: 127.0.0.2"), "request was " + request);
                    String response = new String(visitor.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertTrue(response.startsWith("HTTP/1.1 200"), response);
                }
            }
        }
    }

    /**
     * HAProxy in front of a public port with send-proxy-v2: the server relays HAProxy's header as the visitor's
     * first bytes, so a client without --proxy-protocol hands the app a header naming the real visitor
     * (127.0.0.2), as operations.md's "Running several servers" says.
     */
    @Test
    void haproxysOwnHeaderCrossesTheTunnelToTheApp() throws Exception {
        RunningHaproxy.assumeInstalled();
        try (ServerSocket app = target(); RunningTunnel tunnel = start(app, ProxyProtocol.NONE)) {
            HostPort where = tunnel.nextBound();
            int front = RunningHaproxy.freePort();
            String config = String.join("\n", "defaults", "    mode tcp", "    timeout connect 5s",
                    "    timeout client 10s", "    timeout server 10s", "frontend visitors",
                    "    bind 127.0.0.1:" + front, "    default_backend tunnel", "backend tunnel",
                    "    server rtunnel 127.0.0.1:" + where.port() + " send-proxy-v2", "");
            try (RunningHaproxy haproxy = RunningHaproxy.start(dir, config, front, RunningTunnel.WAIT);
                    Socket visitor = visitFrom(new byte[] {127, 0, 0, 2}, new HostPort("127.0.0.1", front))) {
                visitor.getOutputStream().write(HELLO);
                visitor.shutdownOutput();
                ByteBuffer relayed = ByteBuffer.wrap(visitorsBytes(app));
                ByteBuffer expected = ByteBuffer.allocate(26).put(ProxyHeader.V2_SIGNATURE)
                        .put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                        .put(new byte[] {127, 0, 0, 2}).put(new byte[] {127, 0, 0, 1})
                        .putShort((short) visitor.getLocalPort());
                byte[] header = new byte[26];
                relayed.get(header);
                assertArrayEquals(expected.array(), header, "HAProxy's header names the visitor");
                assertEquals(front, Short.toUnsignedInt(relayed.getShort()));
                byte[] rest = new byte[relayed.remaining()];
                relayed.get(rest);
                assertArrayEquals(HELLO, rest);
            }
        }
    }

    /**
     * All the bytes of the app's connection for the visitor. RunningHaproxy's readiness probes come through
     * the tunnel too: connections that end with nothing, with only HAProxy's header, or with a reset (HAProxy
     * aborts its server side when the probe that opened it goes away). The visitor's own connection is never
     * reset, so if it were, the loop would end with the accept timeout and fail the test.
     */
    private static byte[] visitorsBytes(ServerSocket app) throws IOException {
        while (true) {
            try (Socket socket = accept(app)) {
                byte[] bytes = readUnlessReset(socket);
                if (bytes.length > 28) {
                    return bytes;
                }
            }
        }
    }

    /** Everything {@code socket} receives, or nothing if its peer reset it. */
    private static byte[] readUnlessReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (SocketException reset) {
            if (!String.valueOf(reset.getMessage()).contains("reset")) {
                throw reset;
            }
            return new byte[0];
        }
    }

    @Test
    void oneFlagAppliesToEveryTunnel() {
        assertEquals(List.of(ProxyProtocol.V2, ProxyProtocol.V2),
                proxies("-c", "s", "-f", "80", "-t", "8080", "-f", "443", "-t", "8443", "--proxy-protocol", "v2"));
    }

    @Test
    void theNthFlagGoesWithTheNthTunnel() {
        assertEquals(List.of(ProxyProtocol.V1, ProxyProtocol.NONE), proxies("-c", "s", "-f", "80", "-t", "8080",
                "-f", "443", "-t", "8443", "--proxy-protocol", "V1", "--proxy-protocol", "none"));
        assertEquals(List.of(ProxyProtocol.NONE), proxies("-c", "s", "-f", "80", "-t", "8080"));
    }

    @Test
    void anotherCountOfFlagsIsAUsageError() {
        assertUsageError("rtunnel_client: give --proxy-protocol once or once per -f: found 2 --proxy-protocol but "
                + "3 -f/--remote-listen-port", "-c", "s", "-f", "1", "-t", "2", "-f", "3", "-t", "4", "-f", "5",
                "-t", "6", "--proxy-protocol", "v1", "--proxy-protocol", "v2");
    }

    @Test
    void anUnknownVersionIsAUsageError() {
        assertUsageError("rtunnel_client: Invalid value for option '--proxy-protocol': 'v3' is not one of none, "
                + "v1, v2", "-c", "s", "-f", "1", "-t", "2", "--proxy-protocol", "v3");
    }

    private static ServerSocket target() throws IOException {
        ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        target.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return target;
    }

    private static RunningTunnel start(ServerSocket target, ProxyProtocol version) throws IOException {
        return RunningTunnel.start(PortRange.ALL, List.of(RunningTunnel.specs(target.getLocalPort()).get(0)
                .withProxy(version)));
    }

    private static Socket accept(ServerSocket target) throws IOException {
        Socket socket = target.accept();
        socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return socket;
    }

    /** A visitor whose address is {@code source}, not the default 127.0.0.1 (all of 127/8 is loopback on Linux). */
    private static Socket visitFrom(byte[] source, HostPort where) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(source), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), where.port()));
        socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return socket;
    }

    /** HTTP with the PROXY header required in front, X-Forwarded-For added, everything sent to {@code backend}. */
    private static String config(int front, ServerSocket backend) {
        return String.join("\n",
                "defaults",
                "    mode http",
                "    timeout connect 5s",
                "    timeout client 10s",
                "    timeout server 10s",
                "frontend visitors",
                "    bind 127.0.0.1:" + front + " accept-proxy",
                "    option forwardfor",
                "    default_backend app",
                "backend app",
                "    server app 127.0.0.1:" + backend.getLocalPort(),
                "");
    }

    /** Accepts one request on {@code backend}, answers 200, and returns its head, header names in lower case. */
    private static List<String> answer(ServerSocket backend) throws IOException {
        try (Socket app = accept(backend)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(app.getInputStream(),
                    StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                int colon = line.indexOf(':');
                head.add(colon < 0 ? line : line.substring(0, colon).toLowerCase(Locale.ROOT) + line.substring(colon));
            }
            app.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            return head;
        }
    }

    private static List<ProxyProtocol> proxies(String... args) {
        ClientCommand command = new ClientCommand();
        ClientMain.commandLine(command, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .parseArgs(args);
        return command.settings().tunnels().stream().map(TunnelSpec::proxy).toList();
    }

    private static void assertUsageError(String firstLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        assertEquals(ExitCodes.USAGE, ClientMain.run(new PrintWriter(out), new PrintWriter(err), args));
        assertEquals(firstLine + "\nTry 'rtunnel_client --help' for more information.\n", err.toString());
    }
}
