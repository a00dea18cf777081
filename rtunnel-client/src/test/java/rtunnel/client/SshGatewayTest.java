package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.server.ServerEvents;
import rtunnel.server.ServerLimits;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.KeyFixtures;

/** The ssh gateway ({@code --ssh-port}) driven by the real OpenSSH client, as issue #14's "Done when" lists. */
@Timeout(180)
class SshGatewayTest {

    /** Bytes of the bulk transfer: enough to cross many SSH windows and rekey-free packets. */
    private static final int BULK_BYTES = 64 << 20;

    /** The ports ssh clients may ask for here: port 1 is outside. */
    private static final PortRange UNPRIVILEGED = new PortRange(1024, 65535);

    /** What the gateway tells an ssh user asking for a shell or a command. */
    private static final String SSH_ONLY_FORWARDS = "rtunnel: this server only forwards ports: use ssh -N -R";

    private KeyFixtures keys;
    private Path authorizedKeys;
    private TunnelServer server;
    private int sshPort;
    private Path knownHosts;
    private Path hostKey;

    @BeforeEach
    void startServer() throws Exception {
        OpenSshClient.assumeInstalled();
        keys = new KeyFixtures();
        authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n" + keys.publicLine("ecdsa256") + "\n");
        start(RunningTunnel.openServer(UNPRIVILEGED).withAuthorizedKeys(authorizedKeys));
    }

    private void start(ServerSettings settings) throws Exception {
        if (server != null) {
            server.close();
        }
        server = RunningTunnel.startServer(settings);
        SshDoor door = SshDoor.open(server, settings, keys.scratch(""));
        sshPort = door.port();
        hostKey = settings.hostKey();
        knownHosts = door.knownHosts();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private OpenSshClient ssh(String key, String... args) throws IOException {
        return OpenSshClient.start(sshPort, knownHosts, keys.file(key), args);
    }

    private OpenSshClient forward(String key, int publicPort, int targetPort) throws IOException {
        return ssh(key, "-N", "-o", "ExitOnForwardFailure=yes", "-R",
                "127.0.0.1:" + publicPort + ":127.0.0.1:" + targetPort);
    }

    @Test
    void theHostKeyIsTheServersAndSshChecksItStrictly() throws Exception {
        Process keygen = new ProcessBuilder("ssh-keygen", "-lf", hostKey.toString()).start();
        String listed = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keygen.waitFor(30, TimeUnit.SECONDS));
        assertTrue(listed.contains(" " + server.hostKeyFingerprint() + " "), listed);
        try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = forward("ed25519", 0, target.port())) {
            assertTrue(ssh.allocatedPort() > 0, ssh.stderr());
        }
        Files.writeString(knownHosts, "[127.0.0.1]:" + sshPort + " " + keys.publicLine("ecdsa256") + "\n");
        try (OpenSshClient wrongHost = forward("ed25519", 0, 9)) {
            assertEquals(255, wrongHost.awaitExit());
            assertTrue(wrongHost.stderr().contains("Host key verification failed"), wrongHost.stderr());
        }
    }

    @Test
    void curlReachesAWebServerThroughAForwardOnAPortTheServerPicked() throws Exception {
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            byte[] body = "hello through ssh\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        try (OpenSshClient ssh = forward("ed25519", 0, web.getAddress().getPort())) {
            int port = ssh.allocatedPort();
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "http://127.0.0.1:" + port + "/")
                    .redirectErrorStream(true).start();
            String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals("hello through ssh\n", body);
        } finally {
            web.stop(0);
        }
    }

    @Test
    void sixtyFourMebibytesCrossIntact() throws Exception {
        try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = forward("ed25519", 0, target.port());
                Socket visitor = RunningTunnel.visit(new HostPort("127.0.0.1", ssh.allocatedPort()))) {
            visitor.setSoTimeout(60_000);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            CompletableFuture<byte[]> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    OutputStream out = visitor.getOutputStream();
                    byte[] chunk = new byte[64 << 10];
                    for (int written = 0, i = 0; written < BULK_BYTES; written += chunk.length, i++) {
                        java.util.Arrays.fill(chunk, (byte) i);
                        chunk[i % chunk.length] = (byte) (i * 31);
                        sent.update(chunk);
                        out.write(chunk);
                    }
                    return sent.digest();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            InputStream in = visitor.getInputStream();
            byte[] buffer = new byte[64 << 10];
            long total = 0;
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    received.update(buffer, 0, n);
                    total += n;
                    if (total >= BULK_BYTES) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("stalled after " + total + " bytes", e);
            }
            assertEquals(BULK_BYTES, total);
            assertArrayEquals(writer.get(60, TimeUnit.SECONDS), received.digest());
        }
    }

    @Test
    void aVisitorThatHalfClosesGetsTheWholeAnswer() throws Exception {
        try (java.net.ServerSocket app = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // The app answers only once the request has ended, as a server reading to EOF does.
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (Socket s = app.accept()) {
                    s.setSoTimeout(20_000);
                    byte[] request = s.getInputStream().readAllBytes();
                    s.getOutputStream().write(("got " + request.length + " bytes\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (OpenSshClient ssh = forward("ed25519", 0, app.getLocalPort());
                    Socket visitor = RunningTunnel.visit(new HostPort("127.0.0.1", ssh.allocatedPort()))) {
                visitor.setSoTimeout(20_000);
                visitor.getOutputStream().write("request, then FIN".getBytes(StandardCharsets.UTF_8));
                visitor.shutdownOutput();
                assertEquals("got 17 bytes\n", new String(visitor.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                answered.get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anUnlistedKeyIsRefused() throws Exception {
        try (OpenSshClient stranger = forward("rsa2048", 0, 9)) {
            assertEquals(255, stranger.awaitExit());
            assertTrue(stranger.stderr().contains("Permission denied (publickey)"), stranger.stderr());
        }
    }

    @Test
    void aPortOutsideTheRangeFailsTheForward() throws Exception {
        try (OpenSshClient outside = forward("ed25519", 1, 9)) {
            assertEquals(255, outside.awaitExit());
            assertTrue(outside.stderr().contains("remote port forwarding failed for listen port 1"), outside.stderr());
        }
        assertTrue(server.metrics().render().contains("rtunnel_server_refusals_total{reason=\"port_not_allowed\"} 1"),
                server.metrics().render());
    }

    @Test
    void oneSessionHoldsAtMostMaxTunnelsPerClientPorts() throws Exception {
        ServerLimits d = ServerLimits.DEFAULTS;
        start(RunningTunnel.openServer(UNPRIVILEGED).withAuthorizedKeys(authorizedKeys).withLimits(new ServerLimits(
                d.maxClients(), d.maxStartups(), d.perSourceMaxStartups(), 1, d.maxStreamsPerTunnel(),
                d.handshakeTimeout())));
        try (EchoTarget target = new EchoTarget(); OpenSshClient two = ssh("ed25519", "-N", "-R",
                "127.0.0.1:0:127.0.0.1:" + target.port(), "-R", "127.0.0.1:0:127.0.0.1:9")) {
            two.awaitStderr("remote port forwarding failed for listen port 0");
            assertEquals(1, two.stderr().split("Allocated port ", -1).length - 1, two.stderr());
            assertTrue(server.metrics().render().contains("rtunnel_server_refusals_total{reason=\"limit\"} 1"),
                    server.metrics().render());
        }
    }

    @Test
    void aForwardWithoutABindAddressListensWherePublicBindSays() throws Exception {
        start(RunningTunnel.openServer(UNPRIVILEGED).withAuthorizedKeys(authorizedKeys)
                .withPublicBind(List.of(InetAddress.getByName("127.0.0.1"))));
        try (EchoTarget target = new EchoTarget();
                OpenSshClient ssh = ssh("ed25519", "-N", "-R", "0:localhost:" + target.port())) {
            int port = ssh.allocatedPort();
            assertTrue(echoes(port), "reachable on 127.0.0.1");
            try (Socket elsewhere = new Socket()) {
                assertThrows(IOException.class, () -> elsewhere.connect(new InetSocketAddress("127.0.0.2", port), 2_000),
                        "not bound on all interfaces");
            }
        }
    }

    @Test
    void portZeroGetsAFreePortInTheRange() throws Exception {
        try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = forward("ed25519", 0, target.port())) {
            int port = ssh.allocatedPort();
            assertTrue(UNPRIVILEGED.allows(port), "port " + port);
            try (Socket visitor = RunningTunnel.visit(new HostPort("127.0.0.1", port))) {
                visitor.getOutputStream().write(42);
                assertEquals(42, visitor.getInputStream().read());
            }
            assertTrue(server.metrics().render().contains("rtunnel_server_tunnels 1"), server.metrics().render());
        }
    }

    @Test
    void aFrozenSessionsPortGoesToTheSameKeysNextSessionButNotToAnotherKey() throws Exception {
        try (EchoTarget target = new EchoTarget(); OpenSshClient first = forward("ed25519", 0, target.port())) {
            int port = first.allocatedPort();
            try (OpenSshClient live = forward("ed25519", port, target.port())) {
                assertEquals(255, live.awaitExit(), "a live session keeps its port");
            }
            first.freeze();
            try (OpenSshClient otherKey = forward("ecdsa256", port, target.port())) {
                assertEquals(255, otherKey.awaitExit(), "another key never takes the port");
            }
            try (OpenSshClient second = forward("ed25519", port, target.port())) {
                Await.until("the port to answer through the second session", OpenSshClient.WAIT,
                        () -> echoes(port));
                assertTrue(second.isAlive(), second.stderr());
            }
        }
    }

    @Test
    void localForwardsShellsAndCommandsAreRefused() throws Exception {
        try (OpenSshClient shell = ssh("ed25519")) {
            assertEquals(1, shell.awaitExit(), shell.stderr());
            assertTrue(shell.stderr().contains(SSH_ONLY_FORWARDS), shell.stderr());
        }
        try (OpenSshClient command = ssh("ed25519", "-o", "RemoteCommand=uname")) {
            assertEquals(1, command.awaitExit(), command.stderr());
            assertTrue(command.stderr().contains(SSH_ONLY_FORWARDS), command.stderr());
        }
        Path socket = keys.scratch("local-forward.sock");
        try (EchoTarget target = new EchoTarget();
                OpenSshClient local = ssh("ed25519", "-N", "-L", socket + ":127.0.0.1:" + target.port())) {
            Await.until("ssh to listen on " + socket, OpenSshClient.WAIT, () -> Files.exists(socket));
            try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(socket))) {
                assertTrue(closesWithoutData(channel), "the local forward is closed");
            }
            local.awaitStderr("administratively prohibited");
            assertEquals(0, target.accepted(), "nothing reached the target");
        }
    }

    @Test
    void oneKeyHoldsPortsThroughRtunnelClientAndSshAtOnce() throws Exception {
        SshPrivateKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE));
        try (EchoTarget target = new EchoTarget();
                RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                        RunningTunnel.specs(target.port())).withIdentity(key));
                OpenSshClient ssh = forward("ed25519", 0, target.port())) {
            int viaClient = tunnel.nextBound().port();
            int viaSsh = ssh.allocatedPort();
            assertNotEquals(viaClient, viaSsh);
            assertTrue(echoes(viaClient) && echoes(viaSsh));
        }
    }

    @Test
    void anRtunnelClientTakesOverTheSameKeysFrozenSshSession() throws Exception {
        SshPrivateKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE));
        try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = forward("ed25519", 0, target.port())) {
            int port = ssh.allocatedPort();
            ssh.freeze();
            List<TunnelSpec> samePort = List.of(new TunnelSpec(new HostPort("127.0.0.1", port),
                    new HostPort("127.0.0.1", target.port())));
            try (RunningTunnel tunnel = new RunningTunnel(server,
                    RunningTunnel.clientSettings(server, samePort).withIdentity(key))) {
                assertEquals(port, tunnel.nextBound().port());
                assertTrue(echoes(port));
            }
        }
    }

    @Test
    void removingTheKeyFromTheFileEndsItsSshSession() throws Exception {
        try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = forward("ed25519", 0, target.port())) {
            ssh.allocatedPort();
            Files.writeString(authorizedKeys, keys.publicLine("ecdsa256") + "\n");
            assertTrue(server.reloadAuthorizedKeys());
            assertEquals(255, ssh.awaitExit());
        }
    }

    @Test
    void theServerDropsAFrozenSshSessionByItsOwnKeepAlive() throws Exception {
        start(RunningTunnel.openServer(UNPRIVILEGED).withAuthorizedKeys(authorizedKeys)
                .withKeepAlive(java.time.Duration.ofSeconds(1)));
        try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = forward("ed25519", 0, target.port())) {
            ssh.allocatedPort();
            ssh.freeze();
            Await.until("the frozen session's port to be released", OpenSshClient.WAIT,
                    () -> server.metrics().render().contains("rtunnel_server_tunnels 0"));
        }
    }

    @Test
    void sshSessionsAreReportedAsClientsWithTheirTunnelsDownBeforeTheyLeave() throws Exception {
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        ServerEvents recorder = new ServerEvents() {
            @Override
            public void clientConnected(String client, String keyFingerprint) {
                events.add("connected " + keyFingerprint);
            }

            @Override
            public void tunnelUp(HostPort bound, String client) {
                events.add("up " + bound.port());
            }

            @Override
            public void tunnelDown(int port, String client, String reason) {
                events.add("down " + port);
            }

            @Override
            public void clientDisconnected(String client, String reason) {
                events.add("disconnected");
            }
        };
        ServerSettings settings = RunningTunnel.openServer(UNPRIVILEGED).withAuthorizedKeys(authorizedKeys);
        String fingerprint = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE))
                .publicKey().fingerprint();
        try (TunnelServer reporting = new TunnelServer(settings, new rtunnel.relay.SocketThreads(), recorder)) {
            reporting.start();
            SshDoor door = SshDoor.open(reporting, settings, keys.scratch(""));
            int forwarded;
            try (EchoTarget target = new EchoTarget(); OpenSshClient ssh = door.ssh(keys.file("ed25519"), "-N", "-R",
                    "127.0.0.1:0:127.0.0.1:" + target.port())) {
                forwarded = ssh.allocatedPort();
            }
            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String event = events.poll(30, TimeUnit.SECONDS);
                seen.add(event);
            }
            assertEquals(List.of("connected " + fingerprint, "up " + forwarded, "down " + forwarded, "disconnected"),
                    seen);
        }
    }

    /** Whether ssh closes (or resets) a connection to its local forward without passing it any data. */
    private static boolean closesWithoutData(java.nio.channels.SocketChannel channel) {
        try {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            return channel.read(java.nio.ByteBuffer.allocate(1)) == -1;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether a byte sent to {@code port} comes back (through a forward to an echo target). */
    private static boolean echoes(int port) {
        try (Socket visitor = RunningTunnel.visit(new HostPort("127.0.0.1", port))) {
            visitor.setSoTimeout(2_000);
            visitor.getOutputStream().write(7);
            return visitor.getInputStream().read() == 7;
        } catch (IOException e) {
            return false;
        }
    }
}
