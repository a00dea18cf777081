package rtunnel.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import rtunnel.policy.AllowList;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.relay.SocketThreads;
import rtunnel.server.ServerEvents;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.server.VisitorSettings;
import rtunnel.web.DomainNames;

/** A server in this JVM with HTTP and HTTPS ports on 127.0.0.1:0 for names under {@value #DOMAIN}, and its clients. */
final class WebTunnelServer implements AutoCloseable {

    static final String DOMAIN = "example.test";

    final TunnelServer server;
    private final List<RunningTunnel> clients = new ArrayList<>();
    /** The server's name_up and name_down events, one line each, in order. */
    final BlockingQueue<String> nameEvents = new LinkedBlockingQueue<>();
    /** The web ports the server reported bound: [0] HTTP, [1] HTTPS. */
    private final int[] webPorts = new int[2];

    private WebTunnelServer(ServerSettings settings) throws IOException {
        server = new TunnelServer(settings, new SocketThreads(), new ServerEvents() {
            @Override
            public void webListening(InetSocketAddress address, boolean tls) {
                webPorts[tls ? 1 : 0] = address.getPort();
            }

            @Override
            public void nameUp(String name, String client) {
                nameEvents.add("up " + name);
            }

            @Override
            public void nameDown(String name, String client, String reason) {
                nameEvents.add("down " + name + ": " + reason);
            }

            @Override
            public void nameRefused(String name, String client, Refusal refusal, String reason) {
                nameEvents.add("refused " + name + " " + refusal + ": " + reason);
            }
        });
        server.start();
    }

    /** A server whose visitors have {@code headTimeout} to send their request head or ClientHello. */
    static WebTunnelServer start(Duration headTimeout) throws IOException {
        return start(RunningTunnel.openServer(PortRange.ALL), headTimeout);
    }

    /** {@code settings} with web ports and the domain added. */
    static WebTunnelServer start(ServerSettings settings, Duration headTimeout) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return new WebTunnelServer(settings.withVisitors(new VisitorSettings(loopback, loopback, new DomainNames(List.of(DOMAIN)),
                headTimeout, AllowList.ANYONE)));
    }

    static WebTunnelServer start() throws IOException {
        return start(VisitorSettings.DEFAULT_HEAD_TIMEOUT);
    }

    /** Closes {@code client} with this server. */
    void adopt(RunningTunnel client) {
        clients.add(client);
    }

    /** {@code settings} with web ports and the domain added, meeting visitors as {@code visitors} says. */
    static WebTunnelServer start(ServerSettings settings, VisitorSettings visitors) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return new WebTunnelServer(settings.withVisitors(new VisitorSettings(loopback, loopback,
                new DomainNames(List.of(DOMAIN)), visitors.headTimeout(), visitors.allowFrom())));
    }

    /** {@code settings} with an HTTP port but no HTTPS port, and the domain. */
    static WebTunnelServer httpOnly(ServerSettings settings) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return new WebTunnelServer(settings.withVisitors(new VisitorSettings(loopback, null,
                new DomainNames(List.of(DOMAIN)), VisitorSettings.DEFAULT_HEAD_TIMEOUT, AllowList.ANYONE)));
    }

    /** A client owning {@code hostname} for {@code targetPort}, once the server confirmed the name. */
    RunningTunnel client(String hostname, int targetPort) throws InterruptedException {
        RunningTunnel client = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                List.of(TunnelSpec.named(hostname, "127.0.0.1:" + targetPort))));
        clients.add(client);
        client.nextBound();
        return client;
    }

    /** The HTTP port, as the server reported it when it started. */
    int httpPort() {
        return webPorts[0];
    }

    int httpsPort() {
        return webPorts[1];
    }

    /** The full name of {@code label}. */
    static String name(String label) {
        return label + "." + DOMAIN;
    }

    /** curl for {@code http://NAME:PORT/path} with NAME resolved to loopback, then {@code more} arguments. */
    Curl.Result get(String name, String path, String... more) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--resolve", Curl.resolve(name, httpPort())));
        args.addAll(List.of(more));
        args.add("http://" + name + ":" + httpPort() + path);
        return Curl.run(args.toArray(String[]::new));
    }

    /** A raw visitor of the HTTP port from {@code source}, with a read timeout so a hang fails the test. */
    Socket visit(String source) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), httpPort(), InetAddress.getByName(source), 0);
        socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return socket;
    }

    /** The whole answer to {@code GET /} for {@code name} from a visitor that half-closes once it has sent it. */
    String getHalfClosed(String name) throws IOException {
        try (Socket visitor = visit("127.0.0.1")) {
            visitor.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            visitor.shutdownOutput();
            return new String(visitor.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        clients.forEach(RunningTunnel::close);
        server.close();
    }

    /** Where visitors of a name reach the server, as the client reports it. */
    static HostPort where(String name, int port) {
        return new HostPort(name, port);
    }
}
