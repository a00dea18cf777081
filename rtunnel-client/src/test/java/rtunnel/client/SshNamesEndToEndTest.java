package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.policy.PortRange;
import rtunnel.server.ServerSettings;
import rtunnel.server.VisitorSettings;
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
    private WebTunnelServer web;
    private int sshPort;
    private Path knownHosts;

    @BeforeEach
    void startServer() throws Exception {
        OpenSshClient.assumeInstalled();
        keys = new KeyFixtures();
        Path authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\npermithostname=\"" + PERMITTED + "\" "
                + keys.publicLine("ecdsa256") + "\n");
        ServerSettings settings = RunningTunnel.openServer(PortRange.ALL).withAuthorizedKeys(authorizedKeys);
        web = WebTunnelServer.start(settings, VisitorSettings.DEFAULT_HEAD_TIMEOUT);
        sshPort = web.server.serveSsh(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
        knownHosts = OpenSshClient.knownHosts(keys.scratch(""), settings.hostKey(), sshPort);
    }

    @AfterEach
    void stopServer() {
        if (web != null) {
            web.close();
        }
    }

    /** {@code ssh -N -o ExitOnForwardFailure=yes -R NAME:PORT:127.0.0.1:TARGET} with key {@code key}. */
    private OpenSshClient forward(String key, String name, int port, int target) throws IOException {
        return OpenSshClient.start(sshPort, knownHosts, keys.file(key), "-N", "-o", "ExitOnForwardFailure=yes",
                "-R", name + ":" + port + ":127.0.0.1:" + target);
    }

    /** Waits for the server's next name event and checks it. */
    private void expectEvent(String expected) throws InterruptedException {
        assertEquals(expected, web.nameEvents.poll(OpenSshClient.WAIT.toMillis(), TimeUnit.MILLISECONDS));
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
            try (Socket visitor = web.visit("127.0.0.1")) {
                visitor.getOutputStream().write("GET / HTTP/1.1\r\nHost: full.example.test\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                visitor.shutdownOutput();

                String answer = new String(visitor.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertTrue(answer.endsWith("full GET full.example.test 0\n"), answer);
            }
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
    void theSameKeysNewSessionTakesAFrozenSessionsNameOver() throws Exception {
        try (WebTarget before = new WebTarget("before"); WebTarget after = new WebTarget("after");
                OpenSshClient first = forward("ed25519", "app", 80, before.port())) {
            expectEvent("up app.example.test");
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

            Curl.Result answer = Curl.run("-k", "--resolve", Curl.resolve("secure.example.test", web.httpsPort()),
                    "https://secure.example.test:" + web.httpsPort() + "/");
            Curl.Result overHttp = web.get("secure.example.test", "/", "-w", "%{http_code}");

            assertEquals(new Curl.Result(0, "tls secure.example.test\n"), answer);
            assertTrue(overHttp.out().endsWith("404"), "a 443 forward takes HTTPS visitors only: " + overHttp.out());
        }
    }
}
