package rtunnel.client;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.Failure;
import rtunnel.policy.PortRange;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;
import rtunnel.server.TunnelServer;
import rtunnel.testing.FaultyRelay;
import rtunnel.testing.KeyFixtures;

/**
 * Only the server's own word ends a client for good. What arrives before the server has proven its host key
 * (an ERROR, garbage, a hang-up) anyone on the path could have sent: it ends that attempt only, and the
 * client comes back. A refusal in the protected frames after the proof still ends it with its exit code.
 */
@Timeout(60)
class UnauthenticatedAnswersTest {

    /** Long enough for the first backoff delay (at most 1 s) and a handshake on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    static Stream<Arguments> answersBeforeTheHostKeyIsProven() throws IOException {
        return Stream.of(
                arguments("an ERROR refusing the key", error(Refusal.AUTHENTICATION, "key SHA256:x is not authorized"),
                        "server refused the connection before proving its host key: key SHA256:x is not authorized",
                        ExitCodes.PROTOCOL_MISMATCH),
                arguments("an ERROR refusing a port", error(Refusal.PORT_NOT_ALLOWED, "outside 4000-4999"),
                        "server refused the connection before proving its host key: outside 4000-4999",
                        ExitCodes.PROTOCOL_MISMATCH),
                arguments("an ERROR without a refusal", error(null, "no common frame protection"),
                        "server reported: no common frame protection", ExitCodes.PROTOCOL_MISMATCH),
                arguments("a full server at the door", error(Refusal.LIMIT, "server is full (1000 clients)"),
                        "server refused the connection: server is full (1000 clients)", ExitCodes.UNREACHABLE),
                arguments("garbage", "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(US_ASCII),
                        "peer is not speaking rtunnel (first bytes \"HTTP/1.1\")", ExitCodes.PROTOCOL_MISMATCH),
                arguments("another protocol version", "rtunnel\u0009".getBytes(US_ASCII),
                        "peer speaks rtunnel protocol version 9, this side speaks " + Protocol.VERSION,
                        ExitCodes.PROTOCOL_MISMATCH),
                arguments("a hang-up", new byte[0], "connection closed before the peer sent anything",
                        ExitCodes.UNREACHABLE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersBeforeTheHostKeyIsProven")
    void endsOnlyThatAttemptAndTheClientComesBack(String what, byte[] answer, String reason, int unused)
            throws Exception {
        BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        try (ScriptedPeer peer = new ScriptedPeer(answer)) {
            TunnelClient client = new TunnelClient(settings(peer), new ClientEvents() {
                @Override
                public void tunnelUp(TunnelSpec spec, HostPort remote) {
                    throw new AssertionError("no tunnel can come up here");
                }

                @Override
                public void reconnecting(int attempt, Duration delay, String why, HostPort server) {
                    reasons.add(why);
                }
            });
            CompletableFuture<Void> run = ClientRun.inBackground(client);
            try {
                peer.awaitConnections(2, WAIT);
                assertEquals(reason, reasons.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertFalse(run.isDone(), "the client ended: " + run);
            } finally {
                client.close();
            }
            run.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersBeforeTheHostKeyIsProven")
    void withoutRetriesTheLastSuchFailureGivesTheExitCode(String what, byte[] answer, String reason, int exitCode)
            throws Exception {
        try (ScriptedPeer peer = new ScriptedPeer(answer);
                TunnelClient client = new TunnelClient(settings(peer).withMaxRetries(0), (spec, remote) -> { })) {
            IOException failure = assertThrows(IOException.class, client::run);
            assertEquals(reason, failure.getMessage());
            assertEquals(exitCode, Failure.of(failure).exitCode());
        }
    }

    @Test
    void aKeyRefusedAfterTheServerProvedItsHostKeyEndsTheClientWithFour() throws Exception {
        KeyFixtures keys = new KeyFixtures();
        Path authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("rsa2048") + "\n");
        SshPrivateKey stranger = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.NONE);
        try (TunnelServer server = RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL)
                        .withAuthorizedKeys(authorizedKeys));
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort())) {
            RefusedException refused = refusalOfAClientThatRetriesForever(relay, List.of(spec(0)), stranger);
            assertEquals("server refused the connection: key " + stranger.publicKey().fingerprint()
                    + " is not authorized", refused.getMessage());
            assertEquals(ExitCodes.AUTH_REFUSED, Failure.of(refused).exitCode());
            assertEquals(1, relay.connections(), "no second attempt");
        }
    }

    @Test
    void aPortRefusedAfterTheHandshakeEndsTheClientWithFive() throws Exception {
        try (TunnelServer server = RunningTunnel.startServer(new PortRange(2, 3));
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort())) {
            RefusedException refused = refusalOfAClientThatRetriesForever(relay, List.of(spec(1)), null);
            assertEquals("server refused port 1: outside 2-3", refused.getMessage());
            assertEquals(ExitCodes.PORT_REFUSED, Failure.of(refused).exitCode());
            assertEquals(1, relay.connections(), "no second attempt");
        }
    }

    private static RefusedException refusalOfAClientThatRetriesForever(FaultyRelay relay, List<TunnelSpec> tunnels,
            SshPrivateKey key) throws Exception {
        ClientSettings settings = new ClientSettings(new HostPort("127.0.0.1", relay.port()), tunnels,
                Duration.ofSeconds(5)).withIdentity(key);
        try (TunnelClient client = new TunnelClient(settings, (spec, remote) -> { })) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> ClientRun.inBackground(client).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            return assertInstanceOf(RefusedException.class, failed.getCause());
        }
    }

    private static ClientSettings settings(ScriptedPeer peer) {
        return new ClientSettings(new HostPort("127.0.0.1", peer.port()), List.of(spec(0)), Duration.ofSeconds(5));
    }

    private static TunnelSpec spec(int publicPort) {
        return new TunnelSpec(new HostPort("127.0.0.1", publicPort), new HostPort("127.0.0.1", 9));
    }

    /** A server's preamble, then an ERROR where SERVER_HELLO belongs. */
    private static byte[] error(Refusal refusal, String reason) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes);
        writer.writePreamble();
        writer.write(new SessionError(refusal, reason).toFrame());
        writer.flush();
        return bytes.toByteArray();
    }
}
