package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.OptionEnvironment;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.TunnelServer;
import rtunnel.testing.EchoTarget;
import rtunnel.testing.KeyFixtures;

/**
 * A key line's {@code permitlisten="HOST:PORT"} confines the key to that host. The entries use port
 * {@code *} so that the admitted requests can ask for port 0 and never need a fixed port.
 */
@Timeout(60)
class PermitListenEndToEndTest {

    private KeyFixtures keys;
    private Path authorizedKeys;

    @BeforeEach
    void fixtures() throws IOException {
        keys = new KeyFixtures();
        authorizedKeys = keys.scratch("authorized_keys");
    }

    @Test
    void aLoopbackRequestIsAdmittedAndCarriesTraffic() throws Exception {
        permit("127.0.0.1:*");
        try (EchoTarget target = new EchoTarget(); TunnelServer server = startServer();
                RunningTunnel tunnel = connect(server, "127.0.0.1", 0, target.port())) {
            HostPort bound = tunnel.nextBound();
            assertEquals("127.0.0.1", bound.host());
            try (Socket visitor = RunningTunnel.visit(bound)) {
                visitor.getOutputStream().write(7);
                assertEquals(7, visitor.getInputStream().read());
            }
        }
    }

    @Test
    void aRequestForAllInterfacesIsRefused() throws Exception {
        permit("127.0.0.1:*");
        try (TunnelServer server = startServer(); RunningTunnel tunnel = connect(server, "", 0, 9)) {
            RefusedException refused = AuthenticationEndToEndTest.refusal(tunnel);
            assertEquals(Refusal.PORT_NOT_ALLOWED, refused.refusal());
            assertEquals("server refused port 0: host 0.0.0.0 is not permitted for this key (permitlisten 127.0.0.1:*)",
                    refused.getMessage());
        }
    }

    @Test
    void theClientExitsFiveWithTheReasonWhenItsHostIsRefused() throws Exception {
        permit("localhost:2", "4000");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (TunnelServer server = startServer()) {
            int exit = ClientMain.run(new PrintWriter(out), new PrintWriter(err), OptionEnvironment.none(),
                    "-c", "127.0.0.1:" + server.controlAddress().getPort(), "-k", keys.file("ed25519").toString(),
                    "-f", "2", "-t", "127.0.0.1:9", "-q", "--known-hosts", keys.scratch("known_hosts").toString());
            assertEquals(ExitCodes.PORT_REFUSED, exit);
        }
        assertEquals("rtunnel_client: server refused port 2: host 0.0.0.0 is not permitted for this key"
                + " (permitlisten localhost:2)\n", err.toString());
    }

    @Test
    void localhostInTheFileAdmitsTheLoopbackLiteral() throws Exception {
        permit("localhost:*");
        try (EchoTarget target = new EchoTarget(); TunnelServer server = startServer();
                RunningTunnel tunnel = connect(server, "127.0.0.1", 0, target.port())) {
            try (Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
                visitor.getOutputStream().write(8);
                assertEquals(8, visitor.getInputStream().read());
            }
        }
    }

    @Test
    void theLoopbackLiteralInTheFileAdmitsLocalhost() throws Exception {
        permit("127.0.0.1:*");
        try (TunnelServer server = startServer(); RunningTunnel tunnel = connect(server, "localhost", 0, 9)) {
            HostPort bound = tunnel.nextBound();
            assertTrue(InetAddress.getByName(bound.host()).isLoopbackAddress(), bound.toString());
        }
    }

    @Test
    void aWildcardPatternAdmitsTheHostsItMatchesOnly() throws Exception {
        permit("127.0.0.?:*", "10.*:*");
        try (TunnelServer server = startServer()) {
            try (RunningTunnel tunnel = connect(server, "127.0.0.1", 0, 9)) {
                assertEquals("127.0.0.1", tunnel.nextBound().host());
            }
            try (RunningTunnel tunnel = connect(server, "127.0.0.10", 0, 9)) {
                RefusedException refused = AuthenticationEndToEndTest.refusal(tunnel);
                assertEquals(Refusal.PORT_NOT_ALLOWED, refused.refusal());
                assertEquals("host 127.0.0.10 is not permitted for this key (permitlisten 127.0.0.?:*, 10.*:*)",
                        refused.reason());
            }
        }
    }

    /** Writes the ed25519 fixture's line with one {@code permitlisten} option per entry. */
    private void permit(String... entries) throws IOException {
        StringBuilder options = new StringBuilder();
        for (String entry : entries) {
            options.append(options.isEmpty() ? "" : ",").append("permitlisten=\"").append(entry).append('"');
        }
        Files.writeString(authorizedKeys, options + " " + keys.publicLine("ed25519") + "\n");
    }

    private TunnelServer startServer() throws IOException {
        return RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys));
    }

    private RunningTunnel connect(TunnelServer server, String host, int port, int targetPort) throws IOException {
        SshPrivateKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE));
        List<TunnelSpec> tunnel = List.of(new TunnelSpec(new HostPort(host, port), new HostPort("127.0.0.1", targetPort)));
        return new RunningTunnel(server, RunningTunnel.clientSettings(server, tunnel).withIdentity(key));
    }
}
