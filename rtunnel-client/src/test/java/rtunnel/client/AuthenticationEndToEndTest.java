package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.KeyFixtures;

@Timeout(60)
class AuthenticationEndToEndTest {

    private KeyFixtures keys;
    private Path authorizedKeys;

    @BeforeEach
    void fixtures() throws IOException {
        keys = new KeyFixtures();
        authorizedKeys = keys.scratch("authorized_keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072", "rsa-pem",
            "ecdsa-pem", "rsa-pkcs8", "ecdsa-pkcs8", "ed25519-encrypted", "rsa-pem-encrypted"})
    void everyKeyTypeGetsIn(String name) throws Exception {
        Files.writeString(authorizedKeys, "# the team\n" + keys.publicLine(name) + "\n");
        try (EchoTarget target = new EchoTarget(); TunnelServer server = startServer();
                RunningTunnel tunnel = connect(server, key(name), target.port())) {
            try (Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
                visitor.getOutputStream().write(7);
                assertEquals(7, visitor.getInputStream().read());
            }
        }
    }

    @Test
    void aStrangersKeyIsRefused() throws Exception {
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n");
        SshPrivateKey stranger = key("ecdsa256");
        try (TunnelServer server = startServer(); RunningTunnel tunnel = connect(server, stranger, 9)) {
            RefusedException refused = refusal(tunnel);
            assertEquals(Refusal.AUTHENTICATION, refused.refusal());
            assertEquals("key " + stranger.publicKey().fingerprint() + " is not authorized", refused.reason());
        }
    }

    @Test
    void noKeyIsRefusedWhenTheServerHasAList() throws Exception {
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n");
        try (TunnelServer server = startServer(); RunningTunnel tunnel = connect(server, null, 9)) {
            RefusedException refused = refusal(tunnel);
            assertEquals("this server requires a key (-k)", refused.reason());
        }
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhenListed() throws Exception {
        String line = keys.publicLine("ed25519");
        Files.writeString(authorizedKeys, line + "\n" + keys.publicLine("rsa2048") + "\n@revoked * " + line + "\n");
        try (TunnelServer server = startServer(); RunningTunnel tunnel = connect(server, key("ed25519"), 9)) {
            assertTrue(refusal(tunnel).reason().endsWith(" is revoked"));
        }
    }

    @Test
    void permitListenNarrowsTheKeysPorts() throws Exception {
        Files.writeString(authorizedKeys, "permitlisten=\"2\" " + keys.publicLine("ed25519") + "\n");
        List<TunnelSpec> wantsThree = List.of(new TunnelSpec(new HostPort("127.0.0.1", 3), new HostPort("127.0.0.1", 9)));
        try (TunnelServer server = startServer();
                RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server, wantsThree)
                        .withIdentity(key("ed25519")))) {
            RefusedException refused = refusal(tunnel);
            assertEquals(Refusal.PORT_NOT_ALLOWED, refused.refusal());
            assertEquals("server refused port 3: outside 2", refused.getMessage());
        }
    }

    @Test
    void aKeyRemovedFromTheFileLosesItsLiveSessionAndCannotReturn() throws Exception {
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n" + keys.publicLine("rsa2048") + "\n");
        try (EchoTarget target = new EchoTarget(); TunnelServer server = startServer();
                RunningTunnel tunnel = connect(server, key("ed25519"), target.port())) {
            tunnel.nextBound();
            Files.writeString(authorizedKeys, keys.publicLine("rsa2048") + "\n");
            assertTrue(server.reloadAuthorizedKeys(), "the edited file reloads");
            RefusedException closed = refusal(tunnel);
            assertTrue(closed.reason().endsWith(" is not authorized"), closed.reason());
            try (RunningTunnel again = connect(server, key("ed25519"), target.port())) {
                assertEquals(Refusal.AUTHENTICATION, refusal(again).refusal());
            }
        }
    }

    @Test
    void theServerNoticesAnEditedFileByItself() throws Exception {
        Files.writeString(authorizedKeys, keys.publicLine("rsa2048") + "\n");
        try (TunnelServer server = startServer()) {
            try (RunningTunnel refused = connect(server, key("ed25519"), 9)) {
                assertEquals(Refusal.AUTHENTICATION, refusal(refused).refusal());
            }
            Files.writeString(authorizedKeys, keys.publicLine("rsa2048") + "\n" + keys.publicLine("ed25519") + "\n");
            Await.until("the new key is admitted", RunningTunnel.WAIT, () -> admits(server, "ed25519"));
        }
    }

    @Test
    void aPinnedFingerprintRefusesAnyOtherServer() throws Exception {
        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL);
                RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server, RunningTunnel.specs(9))
                        .withServerFingerprint("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))) {
            RefusedException refused = refusal(tunnel);
            assertEquals("server key is " + server.hostKeyFingerprint()
                    + ", expected SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refused.reason());
        }
    }

    @Test
    void theRightPinnedFingerprintConnects() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = RunningTunnel.startServer(PortRange.ALL);
                RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                        RunningTunnel.specs(target.port())).withServerFingerprint(server.hostKeyFingerprint()))) {
            assertTrue(tunnel.nextBound().port() > 0);
        }
    }

    @Test
    void anyOfSeveralPinnedFingerprintsConnectsAndNoneRefuses() throws Exception {
        String other = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String another = "SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
        try (EchoTarget target = new EchoTarget(); TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            try (RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                    RunningTunnel.specs(target.port())).withServerFingerprints(
                            List.of(other, server.hostKeyFingerprint())))) {
                assertTrue(tunnel.nextBound().port() > 0);
            }
            try (RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                    RunningTunnel.specs(target.port())).withServerFingerprints(List.of(other, another)))) {
                assertEquals("server key is " + server.hostKeyFingerprint() + ", expected one of " + other + ", "
                        + another, refusal(tunnel).reason());
            }
        }
    }

    @Test
    void anUnreadableOrEmptyKeyListStopsTheServerAtStart() throws Exception {
        Files.writeString(authorizedKeys, "# nobody yet\n\n");
        IOException empty = assertThrows(IOException.class, this::startServer);
        assertEquals(authorizedKeys + ": no usable key", empty.getMessage());
        Files.delete(authorizedKeys);
        IOException missing = assertThrows(IOException.class, this::startServer);
        assertTrue(missing.getMessage().startsWith(authorizedKeys.toString()), missing.getMessage());
    }

    private boolean admits(TunnelServer server, String name) {
        try (RunningTunnel tunnel = connect(server, key(name), 9)) {
            tunnel.nextBound();
            return true;
        } catch (AssertionError | Exception e) {
            return false;
        }
    }

    private TunnelServer startServer() throws IOException {
        ServerSettings settings = RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys);
        return RunningTunnel.startServer(settings);
    }

    private SshPrivateKey key(String name) throws IOException {
        return SshPrivateKey.load(keys.file(name), PassphraseSource.of(KeyFixtures.PASSPHRASE));
    }

    private static RunningTunnel connect(TunnelServer server, SshPrivateKey key, int targetPort) {
        ClientSettings settings = RunningTunnel.clientSettings(server, RunningTunnel.specs(targetPort));
        return new RunningTunnel(server, key == null ? settings : settings.withIdentity(key));
    }

    static RefusedException refusal(RunningTunnel tunnel) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> tunnel.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        if (failed.getCause() instanceof ProtocolException e) {
            throw new AssertionError("expected a refusal, got a protocol error", e);
        }
        return assertInstanceOf(RefusedException.class, failed.getCause());
    }
}
