package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.auth.ProtectionMode;
import rtunnel.policy.PortRange;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ProtocolException;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.FaultyRelay;

/** What a man in the middle can and cannot do to a session, in both frame protection modes. */
@Timeout(60)
class FrameIntegrityEndToEndTest {

    private static final String MARKER = "KNOWN-PLAINTEXT-MARKER-7f3a9c";

    /** A client of {@code server} through {@code relay}, offering {@code modes}, that never reconnects. */
    private static RunningTunnel throughRelay(TunnelServer server, FaultyRelay relay, int targetPort,
            List<ProtectionMode> modes) {
        ClientSettings settings = new ClientSettings(new HostPort("127.0.0.1", relay.port()),
                RunningTunnel.specs(targetPort), RunningTunnel.WAIT).withMaxRetries(0).withProtections(modes);
        return new RunningTunnel(server, settings);
    }

    private static TunnelServer server(List<ProtectionMode> accepted) throws IOException {
        return RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL).withProtections(accepted));
    }

    private static boolean onTheWire(FaultyRelay relay) {
        String both = new String(relay.clientBytes(), StandardCharsets.ISO_8859_1)
                + new String(relay.serverBytes(), StandardCharsets.ISO_8859_1);
        return both.contains(MARKER);
    }

    private static void sendMarker(HostPort where) throws IOException {
        try (Socket visitor = RunningTunnel.visit(where)) {
            visitor.getOutputStream().write(MARKER.getBytes(StandardCharsets.US_ASCII));
            assertEquals(MARKER, new String(visitor.getInputStream().readNBytes(MARKER.length()), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void byDefaultTheTrafficIsEncrypted() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ProtectionMode.DEFAULT);
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                RunningTunnel tunnel = throughRelay(server, relay, target.port(), ProtectionMode.DEFAULT)) {
            sendMarker(tunnel.nextBound());
            assertFalse(onTheWire(relay), "the marker crossed the relay encrypted");
        }
    }

    @Test
    void withoutEncryptionTheTrafficIsInClearButStillChecked() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ProtectionMode.DEFAULT);
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                RunningTunnel tunnel = throughRelay(server, relay, target.port(), ProtectionMode.INTEGRITY_ONLY)) {
            sendMarker(tunnel.nextBound());
            assertTrue(onTheWire(relay), "--no-encryption leaves the payload readable on the wire");
        }
    }

    @Test
    void aServerWithoutEncryptionPicksIntegrityOnlyEvenWhenTheClientPrefersEncryption() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ProtectionMode.INTEGRITY_ONLY);
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                RunningTunnel tunnel = throughRelay(server, relay, target.port(), ProtectionMode.DEFAULT)) {
            sendMarker(tunnel.nextBound());
            assertTrue(onTheWire(relay));
        }
    }

    @Test
    void aServerRequiringEncryptionRefusesIntegrityOnlyClients() throws Exception {
        try (TunnelServer server = server(ProtectionMode.ENCRYPTED_ONLY);
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                RunningTunnel tunnel = throughRelay(server, relay, 9, ProtectionMode.INTEGRITY_ONLY)) {
            ProtocolException refused = protocolError(tunnel);
            assertEquals("server reported: no common frame protection: client offers 'hmac-sha256', "
                    + "server accepts aes256-gcm", refused.getMessage());
        }
    }

    @Test
    void aManInTheMiddleCannotDowngradeTheOffer() throws Exception {
        try (TunnelServer server = server(ProtectionMode.DEFAULT);
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                RunningTunnel tunnel = throughRelay(server, relay, 9, ProtectionMode.DEFAULT)) {
            // Same length, so the frame stays well formed: the server now sees an integrity-only offer.
            relay.rewriteToServer("aes256-gcm,hmac-sha256".getBytes(StandardCharsets.US_ASCII),
                    "hmac-sha256,hmac-sha25".getBytes(StandardCharsets.US_ASCII));
            ProtocolException refused = protocolError(tunnel);
            assertEquals("server host key " + server.hostKeyFingerprint() + " signature does not verify",
                    refused.getMessage());
        }
    }

    static Stream<Arguments> flips() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtectionMode mode : ProtectionMode.values()) {
            // The length, the type, the stream id, the payload, and the tag (the chunk's last byte).
            for (int offset : new int[] {0, 4, 8, 12, -1}) {
                cases.add(Arguments.of(mode, offset));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, byte {1}")
    @MethodSource("flips")
    void aFlippedBitEndsTheSessionAndNoChangedByteReachesTheTarget(ProtectionMode mode, int offset) throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(List.of(mode));
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort());
                RunningTunnel tunnel = throughRelay(server, relay, target.port(), List.of(mode));
                Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
            Await.until("the client connected to the target", RunningTunnel.WAIT, () -> target.accepted() == 1);
            relay.flipNextChunkToClientAt(offset);
            visitor.getOutputStream().write(MARKER.getBytes(StandardCharsets.US_ASCII));
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> tunnel.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(ProtocolException.class, ended.getCause());
            ReliabilityTest.assertClosedPromptly(visitor);
            assertEquals(0, target.received(), "the target received nothing");
        }
    }

    @Test
    void aRecordedSessionCannotBeReplayed() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ProtectionMode.DEFAULT);
                FaultyRelay relay = new FaultyRelay(server.controlAddress().getPort())) {
            try (RunningTunnel tunnel = throughRelay(server, relay, target.port(), ProtectionMode.DEFAULT)) {
                sendMarker(tunnel.nextBound());
            }
            Await.until("the recorded client is gone", RunningTunnel.WAIT, () -> server.clients() == 0);
            byte[] recorded = relay.clientBytes();
            try (Socket replay = new Socket(InetAddress.getLoopbackAddress(), server.controlAddress().getPort())) {
                replay.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
                replay.getOutputStream().write(recorded);
                replay.shutdownOutput();
                InputStream answer = replay.getInputStream();
                FrameReader reader = new FrameReader(answer);
                reader.readPreamble();
                assertEquals(FrameType.SERVER_HELLO, reader.read().type(), "a fresh server nonce and key");
                answer.readAllBytes();
            }
            Await.until("the replay was dropped", RunningTunnel.WAIT, () -> server.clients() == 0);
            assertEquals(1, target.accepted(), "the replayed visitor traffic never reached the target");
        }
    }

    private static ProtocolException protocolError(RunningTunnel tunnel) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> tunnel.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(ProtocolException.class, failed.getCause());
    }
}
