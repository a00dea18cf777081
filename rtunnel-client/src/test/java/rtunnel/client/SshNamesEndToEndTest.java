package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.policy.PortRange;
import rtunnel.server.ServerLimits;
import rtunnel.server.ServerSettings;
import rtunnel.server.VisitorSettings;
import rtunnel.testing.Await;
import rtunnel.testing.KeyFixtures;

/**
 * Host names through the ssh gateway the sish way (issue #14): {@code ssh -R app:80:localhost:3000} with the real
 * OpenSSH client takes {@code app.example.test}'s HTTP visitors, {@code :443} its HTTPS visitors, under the
 * rules of an rtunnel client's {@code --hostname}.
 */
@Timeout(180)
class SshNamesEndToEndTest {

    /** The name the ecdsa256 key's line confines it to. */
    private static final String PERMITTED = "shared.example.test";

    private KeyFixtures keys;
    private ServerSettings settings;
    private WebTunnelServer web;
    private SshDoor door;

    @BeforeEach
    void startServer() throws Exception {
        OpenSshClient.assumeInstalled();
        keys = new KeyFixtures();
        Path authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\npermithostname=\"" + PERMITTED + "\" "
                + keys.publicLine("ecdsa256") + "\n");
        settings = RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys);
        start(WebTunnelServer.start(settings, VisitorSettings.DEFAULT_HEAD_TIMEOUT));
    }

    /** Serves ssh clients on {@code server} (instead of the one before). */
    private void start(WebTunnelServer server) throws Exception {
        stopServer();
        web = server;
        door = SshDoor.open(web.server, settings, keys.scratch(""));
    }

    @AfterEach
    void stopServer() {
        if (web != null) {
            web.close();
        }
    }

    /** {@code ssh -N -o ExitOnForwardFailure=yes -R NAME:PORT:127.0.0.1:TARGET} with key {@code key}. */
    private OpenSshClient forward(String key, String name, int port, int target) throws IOException {
        return door.ssh(keys.file(key), "-N", "-o", "ExitOnForwardFailure=yes",
                "-R", name + ":" + port + ":127.0.0.1:" + target);
    }

    /** Waits for the server's next name event and checks it. */
    private void expectEvent(String expected) throws InterruptedException {
        assertEquals(expected, web.nameEvents.poll(OpenSshClient.WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** curl for {@code https://NAME:PORT/} through the server's HTTPS port, trusting the laptop's certificate. */
    private Curl.Result https(String name) throws IOException, InterruptedException {
        return Curl.run("-k", "--resolve", Curl.resolve(name, web.httpsPort()), "https://" + name + ":"
                + web.httpsPort() + "/");
    }

    /** The status code the server's HTTP port answers {@code GET /} for {@code name} with, by curl. */
    private String httpStatus(String name) {
        try {
            String out = web.get(name, "/", "-w", "%{http_code}").out();
            return out.substring(Math.max(0, out.length() - 3));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for ssh to fail its forward of port {@code port}, as ExitOnForwardFailure makes it. */
    private static void assertForwardFails(OpenSshClient ssh, int port) throws InterruptedException {
        assertEquals(255, ssh.awaitExit(), ssh.stderr());
        assertTrue(ssh.stderr().contains("remote port forwarding failed for listen port " + port), ssh.stderr());
    }

    @Test
    void curlReachesTheLaptopsAppByALabelUnderTheDomain() throws Exception {
        try (WebTarget app = new WebTarget("app"); OpenSshClient ssh = forward("ed25519", "app", 80, app.port())) {
            expectEvent("up app.example.test");

            Curl.Result answer = web.get("app.example.test", "/");

            assertEquals(new Curl.Result(0, "app GET app.example.test:" + web.httpPort() + " 0\n"), answer);
            assertTrue(web.server.metrics().render().contains("rtunnel_server_streams_total{name=\"app.example.test\"} 1\n"),
                    web.server.metrics().render());
            assertTrue(ssh.isAlive(), ssh.stderr());
        }
        expectEvent("down app.example.test: ssh client closed the connection");
    }

    @Test
    void aFullNameUnderTheDomainWorksAndAVisitorsHalfCloseReachesTheApp() throws Exception {
        try (WebTarget app = new WebTarget("full");
                OpenSshClient ssh = forward("ed25519", "full.example.test", 80, app.port())) {
            expectEvent("up full.example.test");

            String answer = web.getHalfClosed("full.example.test");

            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("full GET full.example.test 0\n"), answer);
        }
    }

    @Test
    void aNameOutsideTheDomainsFailsTheForward() throws Exception {
        try (OpenSshClient ssh = forward("ed25519", "app.example.org", 80, 9)) {
            assertForwardFails(ssh, 80);
        }
        expectEvent("refused app.example.org PORT_NOT_ALLOWED: name app.example.org is outside the server's domains");
    }

    @Test
    void aNameThePermithostnameOfTheKeyForbidsFailsTheForward() throws Exception {
        try (OpenSshClient ssh = forward("ecdsa256", "other", 80, 9)) {
            assertForwardFails(ssh, 80);
        }
        expectEvent("refused other PORT_NOT_ALLOWED: name other.example.test is not permitted for this key "
                + "(permithostname " + PERMITTED + ")");
    }

    @Test
    void aNameHeldByAnotherKeyIsRefused() throws Exception {
        try (WebTarget app = new WebTarget("first"); OpenSshClient first = forward("ed25519", PERMITTED, 80, app.port())) {
            expectEvent("up " + PERMITTED);
            try (OpenSshClient second = forward("ecdsa256", "shared", 80, app.port())) {
                assertForwardFails(second, 80);
            }
            expectEvent("refused shared PORT_IN_USE: name " + PERMITTED + " is in use by another client");
            assertEquals(new Curl.Result(0, "first GET " + PERMITTED + ":" + web.httpPort() + " 0\n"),
                    web.get(PERMITTED, "/"));
        }
    }

    @Test
    void theSameKeysNewSessionTakesAFrozenSessionsNameOverButNotALiveOnes() throws Exception {
        try (WebTarget before = new WebTarget("before"); WebTarget after = new WebTarget("after");
                OpenSshClient first = forward("ed25519", "app", 80, before.port())) {
            expectEvent("up app.example.test");
            try (OpenSshClient live = forward("ed25519", "app", 80, after.port())) {
                assertForwardFails(live, 80);
            }
            String refused = web.nameEvents.poll(OpenSshClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(refused.startsWith("refused app PORT_IN_USE: name app.example.test is held by a live session "
                    + "of the same client from 127.0.0.1:"), refused);
            first.freeze();
            try (OpenSshClient second = forward("ed25519", "app", 80, after.port())) {
                String down = web.nameEvents.poll(OpenSshClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(down.startsWith("down app.example.test: taken over by a new session from 127.0.0.1:"), down);
                expectEvent("up app.example.test");

                assertEquals(new Curl.Result(0, "after GET app.example.test:" + web.httpPort() + " 0\n"),
                        web.get("app.example.test", "/"));
                assertTrue(second.isAlive(), second.stderr());
            }
        }
    }

    @Test
    void port443RelaysTlsUntouchedToTheLaptopsTlsServer(@TempDir Path dir) throws Exception {
        try (TlsTarget tls = new TlsTarget("secure.example.test", dir);
                OpenSshClient ssh = forward("ed25519", "secure", 443, tls.port())) {
            expectEvent("up secure.example.test");

            Curl.Result answer = https("secure.example.test");
            Curl.Result overHttp = web.get("secure.example.test", "/", "-w", "%{http_code}");

            assertEquals(new Curl.Result(0, "tls secure.example.test\n"), answer);
            assertTrue(overHttp.out().endsWith("404"), "a 443 forward takes HTTPS visitors only: " + overHttp.out());
        }
    }

    @Test
    void aServerWithoutAnHttpsPortRefusesA443Forward() throws Exception {
        start(WebTunnelServer.httpOnly(settings));
        try (OpenSshClient ssh = forward("ed25519", "secure", 443, 9)) {
            assertForwardFails(ssh, 443);
        }
        expectEvent("refused secure PORT_NOT_ALLOWED: the server has no --https-port");
    }

    @Test
    void namesAndPortsOfAnSshSessionCountAgainstMaxTunnelsPerClient() throws Exception {
        ServerLimits d = ServerLimits.DEFAULTS;
        start(WebTunnelServer.start(settings.withLimits(new ServerLimits(d.maxClients(), d.maxStartups(),
                d.perSourceMaxStartups(), 1, d.maxStreamsPerTunnel(), d.handshakeTimeout())),
                VisitorSettings.DEFAULT_HEAD_TIMEOUT));
        try (OpenSshClient ssh = door.ssh(keys.file("ed25519"), "-N",
                "-R", "127.0.0.1:0:127.0.0.1:9", "-R", "app:80:127.0.0.1:9")) {
            ssh.allocatedPort();
            expectEvent("refused app LIMIT: at most 1 tunnels per client");
        }
    }

    /**
     * Hostile: a visitor arrives while the laptop's ssh is frozen, so its channel is never answered. The
     * server's keep-alive drops the session, and the waiting visitor is let go with it instead of hanging.
     */
    @Test
    void aVisitorOfAFrozenSshClientIsLetGoWhenTheSessionIsDropped() throws Exception {
        start(WebTunnelServer.start(settings.withKeepAlive(java.time.Duration.ofSeconds(1)),
                VisitorSettings.DEFAULT_HEAD_TIMEOUT));
        try (WebTarget app = new WebTarget("app"); OpenSshClient ssh = forward("ed25519", "app", 80, app.port())) {
            expectEvent("up app.example.test");
            ssh.freeze();
            try (Socket visitor = web.visit("127.0.0.1")) {
                visitor.getOutputStream().write("GET / HTTP/1.1\r\nHost: app.example.test\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));

                expectEvent("down app.example.test: no answer to keep-alives for 4 s");
                assertEquals(-1, readOrReset(visitor), "the visitor's connection ends");
            }
        }
    }

    /** The first byte {@code visitor} reads, or -1 at its end or a reset. */
    private static int readOrReset(Socket visitor) {
        try {
            return visitor.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void anRtunnelClientWithTheSameKeyTakesAFrozenSshSessionsNameOver() throws Exception {
        SshPrivateKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.of(KeyFixtures.PASSPHRASE));
        try (WebTarget before = new WebTarget("ssh"); WebTarget after = new WebTarget("rtunnel");
                OpenSshClient ssh = forward("ed25519", "app", 80, before.port())) {
            expectEvent("up app.example.test");
            ssh.freeze();
            RunningTunnel client = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                    List.of(TunnelSpec.named("app", "127.0.0.1:" + after.port()))).withIdentity(key));
            web.adopt(client);
            client.nextBound();

            assertEquals(new Curl.Result(0, "rtunnel GET app.example.test:" + web.httpPort() + " 0\n"),
                    web.get("app.example.test", "/"));
        }
    }

    @Test
    void oneSessionTakesANamesHttpAndHttpsVisitorsThroughTwoForwardsButNotThroughThree(@TempDir Path dir)
            throws Exception {
        try (WebTarget app = new WebTarget("app"); TlsTarget tls = new TlsTarget("app.example.test", dir);
                OpenSshClient ssh = door.ssh(keys.file("ed25519"), "-N", "-R", "app:80:127.0.0.1:" + app.port(),
                        "-R", "app.example.test:443:127.0.0.1:" + tls.port(), "-R", "APP:80:127.0.0.1:9")) {
            expectEvent("up app.example.test");
            expectEvent("refused APP PORT_IN_USE: name app.example.test is held by this session already on port 80");
            ssh.awaitStderr("remote port forwarding failed for listen port 80");

            assertEquals(new Curl.Result(0, "app GET app.example.test:" + web.httpPort() + " 0\n"),
                    web.get("app.example.test", "/"));
            assertEquals(new Curl.Result(0, "tls app.example.test\n"), https("app.example.test"));
        }
    }

    @Test
    void cancellingAForwardStopsItsVisitorsAndTheLastOneReleasesTheName(@TempDir Path dir) throws Exception {
        Path control = keys.scratch("cm");
        try (WebTarget app = new WebTarget("app"); TlsTarget tls = new TlsTarget("app.example.test", dir);
                OpenSshClient ssh = door.sshMaster(keys.file("ed25519"), control, "-N",
                        "-R", "app:80:127.0.0.1:" + app.port(), "-R", "app:443:127.0.0.1:" + tls.port())) {
            expectEvent("up app.example.test");
            Await.until("ssh to listen on " + control, OpenSshClient.WAIT, () -> Files.exists(control));
            assertEquals(new Curl.Result(0, "app GET app.example.test:" + web.httpPort() + " 0\n"),
                    web.get("app.example.test", "/"));

            assertEquals(0, OpenSshClient.control(control, "cancel", "-R", "app:80:127.0.0.1:" + app.port()));
            Await.until("the HTTP visitors to be turned away", OpenSshClient.WAIT,
                    () -> httpStatus("app.example.test").equals("404"));
            assertEquals(new Curl.Result(0, "tls app.example.test\n"), https("app.example.test"));

            assertEquals(0, OpenSshClient.control(control, "cancel", "-R", "app:443:127.0.0.1:" + tls.port()));
            expectEvent("down app.example.test: cancelled by the ssh client");
            assertEquals("502", httpStatus("app.example.test"));
            assertTrue(ssh.isAlive(), ssh.stderr());
        }
    }
}
