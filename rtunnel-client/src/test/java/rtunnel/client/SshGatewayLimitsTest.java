package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.server.ServerLimits;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.KeyFixtures;

/** The ssh gateway under connections that never sign in: its door holds, and a real ssh still gets in. */
@Timeout(180)
class SshGatewayLimitsTest {

    /** Silent connections from each flooding address: more than its 20 handshakes at once. */
    private static final int PER_ADDRESS = 40;

    /** A short sign-in deadline, so the test sees silent connections timed out. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

    private KeyFixtures keys;
    private TunnelServer server;
    private int sshPort;
    private Path knownHosts;

    @BeforeEach
    void startServer() throws Exception {
        OpenSshClient.assumeInstalled();
        keys = new KeyFixtures();
        Path authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n");
        ServerLimits defaults = ServerLimits.DEFAULTS;
        ServerLimits limits = new ServerLimits(defaults.maxClients(), defaults.maxStartups(),
                defaults.perSourceMaxStartups(), defaults.maxTunnelsPerClient(), defaults.maxStreamsPerTunnel(),
                HANDSHAKE_TIMEOUT);
        var settings = RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys).withLimits(limits);
        server = RunningTunnel.startServer(settings);
        SshDoor door = SshDoor.open(server, settings, keys.scratch(""));
        sshPort = door.port();
        knownHosts = door.knownHosts();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void silentConnectionsFromSeveralAddressesDoNotKeepARealSshOut() throws Exception {
        try (EchoTarget target = new EchoTarget();
                SilentFlood flood = SilentFlood.start(new InetSocketAddress("127.0.0.1", sshPort), 2, 3, PER_ADDRESS,
                        2_000)) {
            Await.until("the gateway to drop each address's surplus", RunningTunnel.WAIT,
                    () -> metric("rtunnel_server_ssh_handshakes_dropped_total{reason=\"per_source\"}") > 0);
            try (OpenSshClient ssh = OpenSshClient.start(sshPort, knownHosts, keys.file("ed25519"), "-N",
                    "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:" + target.port())) {
                assertTrue(ssh.allocatedPort() > 0, ssh.stderr());
            }
            assertTrue(metric("rtunnel_server_ssh_handshakes") <= 3L * ServerLimits.DEFAULT_PER_SOURCE_MAX_STARTUPS,
                    "each address holds at most its 20 handshakes");
        }
    }

    @Test
    void aConnectionThatNeverSignsInIsClosedAtTheHandshakeTimeout() throws Exception {
        try (SilentFlood flood = SilentFlood.start(new InetSocketAddress("127.0.0.1", sshPort), 2, 1, 1, 0)) {
            Await.until("the silent connection to be closed", HANDSHAKE_TIMEOUT.multipliedBy(10),
                    () -> flood.dropped() == 1);
        }
    }

    private long metric(String series) {
        for (String line : server.metrics().render().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Long.parseLong(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
