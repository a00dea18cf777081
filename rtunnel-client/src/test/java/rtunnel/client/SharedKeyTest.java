package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.KeyFixtures;

/**
 * Two live clients with one key asking for one port: the second is refused, so they never take the port
 * from each other. (A stale session of that key is taken over: ReliabilityTest.)
 */
@Timeout(60)
class SharedKeyTest {

    @Test
    void aSecondLiveClientWithTheSameKeyIsRefusedAndTheFirstKeepsItsPort() throws Exception {
        KeyFixtures keys = new KeyFixtures();
        Path authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n");
        SshPrivateKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE));
        ServerSettings settings = RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys);
        try (EchoTarget target = new EchoTarget(); TunnelServer server = RunningTunnel.startServer(settings);
                RunningTunnel first = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                        RunningTunnel.specs(target.port())).withIdentity(key))) {
            HostPort held = first.nextBound();
            List<TunnelSpec> samePort = List.of(new TunnelSpec(new HostPort("127.0.0.1", held.port()),
                    new HostPort("127.0.0.1", target.port())));
            try (RunningTunnel second = new RunningTunnel(server,
                    RunningTunnel.clientSettings(server, samePort).withIdentity(key))) {
                RefusedException refused = AuthenticationEndToEndTest.refusal(second);
                assertEquals(Refusal.PORT_IN_USE, refused.refusal());
                assertTrue(refused.reason().matches("port " + held.port()
                        + " is held by a live session of the same client from 127\\.0\\.0\\.1:\\d+"), refused.reason());
            }
            assertFalse(first.clientRun.isDone(), "the first client kept its session: " + first.clientRun);
            assertEchoes(held);
        }
    }

    private static void assertEchoes(HostPort where) throws IOException {
        try (Socket visitor = RunningTunnel.visit(where)) {
            visitor.getOutputStream().write(42);
            assertEquals(42, visitor.getInputStream().read(), "the first client's tunnel still works");
        }
    }
}
