package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
import rtunnel.server.VisitorSettings;
import rtunnel.testing.FaultyRelay;
import rtunnel.testing.KeyFixtures;

/**
 * Names are owned like ports: a key's {@code permithostname} confines it, a second client is refused with
 * exit 5, and the same client coming back over a new link takes its name over from its half-open session.
 */
@Timeout(90)
class NameOwnershipTest {

    private KeyFixtures keys;
    private Path authorizedKeys;

    @BeforeEach
    void fixtures() throws IOException {
        keys = new KeyFixtures();
        authorizedKeys = keys.scratch("authorized_keys");
    }

    @Test
    void permitHostnameAdmitsTheNamesItsPatternMatches() throws Exception {
        keyLine("permithostname=\"*.alice.example.test\"");
        try (WebTunnelServer web = startServer(); WebTarget app = new WebTarget("alice");
                RunningTunnel tunnel = connect(web, "blog.alice.example.test", app.port())) {
            assertEquals(new HostPort("blog.alice.example.test", web.httpPort()), tunnel.nextBound());

            assertEquals(0, web.get("blog.alice.example.test", "/").exitCode());
        }
    }

    @Test
    void permitHostnameRefusesOtherNamesWithTheReason() throws Exception {
        keyLine("permithostname=\"*.alice.example.test\",permithostname=\"alice.example.test\"");
        try (WebTunnelServer web = startServer(); RunningTunnel tunnel = connect(web, "bob", 9)) {
            RefusedException refused = WebNamesEndToEndTest.refusal(tunnel);

            assertEquals(Refusal.PORT_NOT_ALLOWED, refused.refusal());
            assertEquals("name bob.example.test is not permitted for this key (permithostname *.alice.example.test, "
                    + "alice.example.test)", refused.reason());
            assertEquals("refused bob PORT_NOT_ALLOWED: " + refused.reason(),
                    web.nameEvents.poll(RunningTunnel.WAIT.toSeconds(), TimeUnit.SECONDS), "the server's event");
        }
    }

    @Test
    void aKeyNarrowedToPortsOwnsNoName() throws Exception {
        keyLine("permitlisten=\"4000\"");
        try (WebTunnelServer web = startServer(); RunningTunnel tunnel = connect(web, "app", 9)) {
            RefusedException refused = WebNamesEndToEndTest.refusal(tunnel);

            assertEquals("this key may own no name (its line has permitlisten but no permithostname)",
                    refused.reason());
        }
    }

    @Test
    void theClientExitsFiveWhenAnotherClientOwnsTheName() throws Exception {
        keyLine("");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());

            int exit = ClientMain.run(new PrintWriter(out), new PrintWriter(err), OptionEnvironment.none(),
                    "-c", "127.0.0.1:" + web.server.controlAddress().getPort(), "--hostname", "app", "-t", "9",
                    "-q", "--known-hosts", keys.scratch("known_hosts").toString());

            assertEquals(ExitCodes.PORT_REFUSED, exit);
            assertEquals("rtunnel_client: server refused name app: name app.example.test is in use by another "
                    + "client\n", err.toString());
        }
    }

    @Test
    void theSameClientTakesItsNameOverFromItsHalfOpenSession() throws Exception {
        // The server's keep-alive is long, so it still believes in the old session when the client returns.
        try (WebTunnelServer web = WebTunnelServer.start(RunningTunnel.openServer(PortRange.ALL)
                .withKeepAlive(Duration.ofSeconds(60)), VisitorSettings.DEFAULT_HEAD_TIMEOUT);
                WebTarget app = new WebTarget("app");
                FaultyRelay relay = new FaultyRelay(web.server.controlAddress().getPort())) {
            BlockingQueue<HostPort> up = new LinkedBlockingQueue<>();
            ClientSettings settings = new ClientSettings(new HostPort("127.0.0.1", relay.port()),
                    List.of(TunnelSpec.named("app", "127.0.0.1:" + app.port())), Duration.ofSeconds(1));
            try (TunnelClient client = new TunnelClient(settings, (spec, where) -> up.add(where))) {
                ClientRun.inBackground(client);
                HostPort first = up.poll(30, TimeUnit.SECONDS);
                relay.blackholeExisting();

                HostPort again = up.poll(30, TimeUnit.SECONDS);

                assertEquals(new HostPort("app.example.test", web.httpPort()), first);
                assertEquals(first, again, "the name came back up after the takeover");
                Curl.Result answer = web.get("app.example.test", "/");
                assertTrue(answer.out().startsWith("app GET"), answer.out());
            }
        }
    }

    /** The ed25519 fixture's line with {@code options} before it (none when empty). */
    private void keyLine(String options) throws IOException {
        Files.writeString(authorizedKeys, (options.isEmpty() ? "" : options + " ") + keys.publicLine("ed25519") + "\n");
    }

    private WebTunnelServer startServer() throws IOException {
        return WebTunnelServer.start(RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys),
                VisitorSettings.DEFAULT_HEAD_TIMEOUT);
    }

    private RunningTunnel connect(WebTunnelServer web, String hostname, int targetPort) throws IOException {
        SshPrivateKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE));
        return new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                List.of(TunnelSpec.named(hostname, "127.0.0.1:" + targetPort))).withIdentity(key));
    }
}
