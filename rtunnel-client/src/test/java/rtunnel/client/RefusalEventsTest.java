package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.ClientIdentity;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.ScriptedClient;
import rtunnel.auth.SshPrivateKey;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.RefusedException;
import rtunnel.relay.SocketThreads;
import rtunnel.server.MaxStartups;
import rtunnel.server.ServerLimits;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.KeyFixtures;

/**
 * Every refusal is a server event with its reason (what --json prints): refused keys, a client refused at
 * the handshake, refused ports, and connections turned away or dropped at the door.
 */
@Timeout(90)
class RefusalEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final KeyFixtures keys;

    RefusalEventsTest() throws IOException {
        keys = new KeyFixtures();
    }

    @Test
    void refusedKeysAndAClientRefusedAtTheHandshakeAreReportedWithTheirReasons() throws Exception {
        Path authorized = keys.scratch("authorized_keys");
        Files.writeString(authorized, "permitlisten=\"127.0.0.1:2\" " + keys.publicLine("ed25519") + "\n@revoked "
                + keys.publicLine("rsa3072") + "\n");
        RecordedServerEvents events = new RecordedServerEvents();
        try (TunnelServer server = server(RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorized),
                events)) {
            events.next("listening");
            refusedClient(server, key("ecdsa256"), key("rsa3072"));
            String notAuthorized = events.next();
            String revoked = events.next();
            String client = between(notAuthorized, "key refused ", ": key");
            assertEquals("key refused " + client + ": key " + fingerprint("ecdsa256") + " is not authorized",
                    notAuthorized);
            assertEquals("key refused " + client + ": key " + fingerprint("rsa3072") + " is revoked", revoked,
                    "the second key on the same connection");

            refusedClient(server);
            String anonymous = events.next();
            assertTrue(anonymous.matches("client refused 127\\.0\\.0\\.1:\\d+ AUTHENTICATION: this server requires "
                    + "a key \\(-k\\)"), anonymous);

            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.controlAddress().getPort())) {
                ScriptedClient.authenticate(ScriptedClient.exchangeOver(socket), key("ed25519").publicKey().blob(),
                        ScriptedClient.garbageSignature("ssh-ed25519"), new SecureRandom());
                assertEquals("client refused 127.0.0.1:" + socket.getLocalPort() + " AUTHENTICATION: signature by key "
                        + fingerprint("ed25519") + " does not verify", events.next());
            }

            refusedClient(server, List.of(at(5)), key("ed25519"));
            events.next("connected");
            String permit = events.next("port refused");
            assertTrue(permit.matches("port refused 127\\.0\\.0\\.1:5 for 127\\.0\\.0\\.1:\\d+ PORT_NOT_ALLOWED: "
                    + "outside 2"), permit);
        }
    }

    @Test
    void refusedPortsAreReportedWithTheirReasons() throws Exception {
        RecordedServerEvents events = new RecordedServerEvents();
        ServerSettings settings = RunningTunnel.openServer(PortRange.ALL);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                TunnelServer server = server(settings.withLimits(limits(settings, 1, ServerLimits.DEFAULT_MAX_STARTUPS)),
                        events)) {
            events.next("listening");
            refusedClient(server, List.of(at(taken.getLocalPort())));
            assertTrue(events.next("port refused").matches("port refused 127\\.0\\.0\\.1:" + taken.getLocalPort()
                    + " for 127\\.0\\.0\\.1:\\d+ PORT_IN_USE: .+"));

            refusedClient(server, List.of(at(0), at(0)));
            assertTrue(events.next("port refused").matches("port refused 127\\.0\\.0\\.1:0 for 127\\.0\\.0\\.1:\\d+ "
                    + "LIMIT: at most 1 tunnels per client"));
        }
        try (TunnelServer server = server(RunningTunnel.openServer(new PortRange(2, 3)), events)) {
            refusedClient(server, List.of(at(1)));
            assertTrue(events.next("port refused").matches("port refused 127\\.0\\.0\\.1:1 for 127\\.0\\.0\\.1:\\d+ "
                    + "PORT_NOT_ALLOWED: outside 2-3"));
        }
    }

    @Test
    void connectionsTurnedAwayOrDroppedAtTheDoorAreReported() throws Exception {
        RecordedServerEvents events = new RecordedServerEvents();
        ServerSettings settings = RunningTunnel.openServer(PortRange.ALL);
        int control;
        try (TunnelServer server = server(settings.withLimits(limits(settings, 64, new MaxStartups(1, 100, 1))),
                events)) {
            events.next("listening");
            control = server.controlAddress().getPort();
            try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), control);
                    Socket newcomer = new Socket(InetAddress.getLoopbackAddress(), control)) {
                assertEquals("client refused 127.0.0.1:" + silent.getLocalPort() + " LIMIT: handshake dropped to let "
                        + "127.0.0.1:" + newcomer.getLocalPort() + " in: too many handshakes under way (1)",
                        events.next());
            }
        }
        ServerLimits oneClient = new ServerLimits(1, ServerLimits.DEFAULT_MAX_STARTUPS, 20, 64, 64, Duration.ofSeconds(10));
        try (TunnelServer server = server(settings.withLimits(oneClient), events);
                RunningTunnel first = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                        RunningTunnel.specs(9)))) {
            first.nextBound();
            Socket turnedAway = new Socket(InetAddress.getLoopbackAddress(), server.controlAddress().getPort());
            turnedAway.close();
            assertEquals("client refused 127.0.0.1:" + turnedAway.getLocalPort() + " LIMIT: server is full (1 clients)",
                    events.next("client refused"));
        }
    }

    private static TunnelServer server(ServerSettings settings, RecordedServerEvents events) throws IOException {
        TunnelServer server = new TunnelServer(settings, new SocketThreads(), events);
        server.start();
        return server;
    }

    private static ServerLimits limits(ServerSettings settings, int tunnelsPerClient, MaxStartups startups) {
        ServerLimits limits = settings.limits();
        return new ServerLimits(limits.maxClients(), startups, limits.perSourceMaxStartups(), tunnelsPerClient,
                limits.maxStreamsPerTunnel(), limits.handshakeTimeout());
    }

    /** A client with {@code identities} asking for one tunnel, which the server refuses: waits until it exits. */
    private void refusedClient(TunnelServer server, ClientIdentity... identities) throws Exception {
        refusedClient(server, List.of(at(0)), identities);
    }

    private void refusedClient(TunnelServer server, List<HostPort> remotes, ClientIdentity... identities)
            throws Exception {
        List<TunnelSpec> tunnels = remotes.stream().map(remote -> new TunnelSpec(remote, new HostPort("127.0.0.1", 9)))
                .toList();
        ClientSettings settings = RunningTunnel.clientSettings(server, tunnels).withIdentities(List.of(identities));
        try (TunnelClient client = new TunnelClient(settings, (spec, remote) -> { })) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> ClientRun.inBackground(client).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(RefusedException.class, failed.getCause(), () -> failed.getCause().toString());
        }
    }

    private static HostPort at(int port) {
        return new HostPort("127.0.0.1", port);
    }

    private SshPrivateKey key(String name) throws IOException {
        return SshPrivateKey.load(keys.file(name), PassphraseSource.of(KeyFixtures.PASSPHRASE));
    }

    private String fingerprint(String name) throws IOException {
        return key(name).publicKey().fingerprint();
    }

    private static String between(String line, String before, String after) {
        int start = line.indexOf(before) + before.length();
        return line.substring(start, line.indexOf(after, start));
    }
}
