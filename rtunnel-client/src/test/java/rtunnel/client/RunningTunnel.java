package rtunnel.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.NameAccepted;
import rtunnel.server.ServerLimits;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;

/** A server and a client in this JVM on 127.0.0.1 with ephemeral ports, for end-to-end tests. */
final class RunningTunnel implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final TunnelServer server;
    final TunnelClient client;
    final CompletableFuture<Void> clientRun;
    private final boolean ownsServer;
    private final BlockingQueue<HostPort> bound = new LinkedBlockingQueue<>();
    private final Map<Integer, HostPort> boundByTargetPort = new ConcurrentHashMap<>();
    private final BlockingQueue<NameAccepted> names = new LinkedBlockingQueue<>();

    /** A client of {@code server}; closing it leaves the server running. */
    RunningTunnel(TunnelServer server, ClientSettings settings) {
        this(server, settings, false);
    }

    private RunningTunnel(TunnelServer server, ClientSettings settings, boolean ownsServer) {
        this.server = server;
        this.ownsServer = ownsServer;
        this.client = new TunnelClient(settings, new ClientEvents() {
            @Override
            public void tunnelUp(TunnelSpec spec, HostPort where) {
                boundByTargetPort.put(spec.target().port(), where);
                bound.add(where);
            }

            @Override
            public void nameUp(TunnelSpec spec, NameAccepted accepted) {
                names.add(accepted);
                ClientEvents.super.nameUp(spec, accepted);
            }
        });
        clientRun = ClientRun.inBackground(client);
    }

    /** A server allowing every port (closed with this), and a client with one tunnel from an ephemeral port to each target. */
    static RunningTunnel start(int... targetPorts) throws IOException {
        return start(PortRange.ALL, specs(targetPorts));
    }

    static RunningTunnel start(PortRange range, List<TunnelSpec> tunnels) throws IOException {
        TunnelServer server = startServer(range);
        return new RunningTunnel(server, clientSettings(server, tunnels), true);
    }

    static TunnelServer startServer(PortRange range) throws IOException {
        return startServer(openServer(range));
    }

    static TunnelServer startServer(ServerSettings settings) throws IOException {
        TunnelServer server = new TunnelServer(settings);
        server.start();
        return server;
    }

    /** Settings for a server without authorized keys, its host key in a fresh temporary directory. */
    static ServerSettings openServer(PortRange range) throws IOException {
        return new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), range,
                Duration.ofSeconds(2), null, Files.createTempDirectory("rtunnel-host").resolve("host_key"),
                ServerLimits.DEFAULTS);
    }

    static ClientSettings clientSettings(TunnelServer server, List<TunnelSpec> tunnels) {
        return new ClientSettings(new HostPort("127.0.0.1", server.controlAddress().getPort()), tunnels,
                Duration.ofSeconds(5)).withMaxRetries(0);
    }

    static List<TunnelSpec> specs(int... targetPorts) {
        List<TunnelSpec> specs = new ArrayList<>();
        for (int port : targetPorts) {
            specs.add(new TunnelSpec(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", port)));
        }
        return specs;
    }

    /** The next public address the client reported as up. */
    HostPort nextBound() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            HostPort where = bound.poll(20, TimeUnit.MILLISECONDS);
            if (where != null) {
                return where;
            }
            if (clientRun.isDone()) {
                throw new AssertionError("the client ended before its tunnel came up: " + clientRun);
            }
        }
        throw new AssertionError("no tunnel came up within " + WAIT + ": " + clientRun);
    }

    /** The next name the server said it routes to this client, with its web ports. */
    NameAccepted nextName() throws InterruptedException {
        NameAccepted accepted = names.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (accepted == null) {
            throw new AssertionError("no name came up within " + WAIT + ": " + clientRun);
        }
        return accepted;
    }

    /** The public address of the tunnel to {@code targetPort}, once it is up. */
    HostPort boundFor(int targetPort) {
        Await.until("the tunnel to port " + targetPort, WAIT, () -> boundByTargetPort.containsKey(targetPort));
        return boundByTargetPort.get(targetPort);
    }

    /** A visitor connected to a public port, with a read timeout so a hang fails the test. */
    static Socket visit(HostPort where) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), where.port());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    @Override
    public void close() {
        client.close();
        if (ownsServer) {
            server.close();
        }
    }
}
