package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.policy.AllowList;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.NameAccepted;
import rtunnel.protocol.VisitorRules;
import rtunnel.server.VisitorSettings;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/**
 * Who may visit: {@code --allow-from} on a port and on a name (the client's and the operator's), enforced at
 * accept before anything reaches the client; {@code --basic-auth} on a name; the forwarding headers.
 */
@Timeout(90)
class VisitorRulesEndToEndTest {

    private static final VisitorRules LOOPBACK_ONE = new VisitorRules(0, List.of("127.0.0.1/32"), "", "", false);

    @Test
    void aPortTunnelAdmitsItsAllowFromAndResetsOthersBeforeTheClientHears() throws Exception {
        try (EchoTarget target = new EchoTarget(); WebTunnelServer web = WebTunnelServer.start()) {
            TunnelSpec tunnel = RunningTunnel.specs(target.port()).get(0).withRules(LOOPBACK_ONE);
            try (RunningTunnel client = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                    List.of(tunnel)))) {
                HostPort bound = client.nextBound();

                assertRefused(visit(bound.port(), "127.0.0.2"));
                assertEchoes(visit(bound.port(), "127.0.0.1"));

                assertEquals(1, target.accepted(), "only the admitted visitor reached the target");
                assertEquals(1, StartupLimitsTest.metric(web.server, "rtunnel_server_visitors_refused_total{port=\""
                        + bound.port() + "\",reason=\"allow_from\"}"));
            }
        }
    }

    @Test
    void aNameAdmitsItsAllowFromOnly() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            named(web, "app", app.port(), LOOPBACK_ONE);

            Curl.Result outsider = web.get("app.example.test", "/", "--interface", "127.0.0.2");
            Curl.Result insider = web.get("app.example.test", "/", "--interface", "127.0.0.1");

            assertNotEquals(0, outsider.exitCode(), outsider.out());
            assertTrue(insider.out().startsWith("app GET"), insider.out());
            assertEquals(1, StartupLimitsTest.metric(web.server,
                    "rtunnel_server_visitors_refused_total{name=\"app.example.test\",reason=\"allow_from\"}"));
        }
    }

    @Test
    void theOperatorsAllowFromAppliesToEveryPortAndWebPort() throws Exception {
        VisitorSettings loopbackOne = VisitorSettings.NONE.withAllowFrom(AllowList.parse(List.of("127.0.0.1")));
        try (EchoTarget target = new EchoTarget(); WebTunnelServer web = WebTunnelServer.start(
                RunningTunnel.openServer(PortRange.ALL), loopbackOne);
                WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());
            try (RunningTunnel client = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                    RunningTunnel.specs(target.port())))) {
                int port = client.nextBound().port();

                assertRefused(visit(port, "127.0.0.2"));
                assertRefused(visit(web.httpPort(), "127.0.0.2"));
                assertEchoes(visit(port, "127.0.0.1"));
                assertTrue(web.get("app.example.test", "/").out().startsWith("app GET"));
            }
        }
    }

    @Test
    void aNameWithBasicAuthAnswers401UntilTheRightCredentialsCome() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            named(web, "app", app.port(), new VisitorRules(0, List.of(), "alice", "s3cret", false));

            Curl.Result none = web.get("app.example.test", "/", "-i");
            Curl.Result wrong = web.get("app.example.test", "/", "-u", "alice:guess", "-w", "%{http_code}");
            Curl.Result right = web.get("app.example.test", "/", "-u", "alice:s3cret");

            assertTrue(none.out().startsWith("HTTP/1.1 401 Unauthorized\r\n"), none.out());
            assertTrue(none.out().contains("\r\nWWW-Authenticate: Basic realm=\"app.example.test\", charset=\"UTF-8\"\r\n"),
                    none.out());
            assertTrue(wrong.out().endsWith("401"), wrong.out());
            assertTrue(right.out().startsWith("app GET"), right.out());
            assertEquals(2, StartupLimitsTest.metric(web.server,
                    "rtunnel_server_visitors_refused_total{name=\"app.example.test\",reason=\"basic_auth\"}"));
        }
    }

    @Test
    void aNameWithBasicAuthRefusesHttpsVisitorsWithAccessDenied(@TempDir Path dir) throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); TlsTarget app = new TlsTarget("app.example.test", dir)) {
            NameAccepted accepted = named(web, "app", app.port(),
                    new VisitorRules(0, List.of(), "alice", "s3cret", false)).nextName();
            assertEquals(web.httpPort(), accepted.httpPort());
            assertEquals(0, accepted.httpsPort(), "no https URL for the client to show: HTTPS visitors are refused");

            Curl.Result tls = Curl.run("-k", "--resolve", "app.example.test:" + web.httpsPort() + ":127.0.0.1",
                    "https://app.example.test:" + web.httpsPort() + "/");

            assertEquals(35, tls.exitCode(), "curl's exit code for a failed TLS handshake");
        }
    }

    @Test
    void forwardedHeadersNameTheVisitorInPlaceOfAnyItSent() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            named(web, "app", app.port(), new VisitorRules(0, List.of(), "", "", true));

            Curl.Result answer = web.get("app.example.test", "/headers", "-H", "X-Forwarded-For: 6.6.6.6",
                    "--interface", "127.0.0.3");

            assertEquals(new Curl.Result(0, "X-Forwarded-For: [127.0.0.3]\nForwarded: [for=127.0.0.3;"
                    + "host=app.example.test;proto=http]\n"), answer);
        }
    }

    @Test
    void theServerRefusesRulesTheClientShouldNotHaveSent() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start()) {
            TunnelSpec badBlock = RunningTunnel.specs(9).get(0).withRules(new VisitorRules(0, List.of("10.0.0.0/99"), "",
                    "", false));
            TunnelSpec passwordOnAPort = RunningTunnel.specs(9).get(0).withRules(new VisitorRules(0, List.of(), "a", "b",
                    false));
            for (TunnelSpec spec : List.of(badBlock, passwordOnAPort)) {
                try (RunningTunnel client = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                        List.of(spec)))) {
                    RefusedException refused = WebNamesEndToEndTest.refusal(client);

                    assertEquals(Refusal.BAD_REQUEST, refused.refusal());
                    assertEquals(spec == badBlock ? "'10.0.0.0/99' is not a CIDR block: the prefix length must be 0 to 32"
                            : "--basic-auth and --forwarded-headers apply to --hostname tunnels only", refused.reason());
                }
            }
        }
    }

    private static RunningTunnel named(WebTunnelServer web, String hostname, int targetPort, VisitorRules rules)
            throws InterruptedException {
        RunningTunnel client = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                List.of(TunnelSpec.named(hostname, "127.0.0.1:" + targetPort).withRules(rules))));
        web.adopt(client);
        client.nextBound();
        return client;
    }

    private static Socket visit(int port, String source) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(source), 0);
        socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
        return socket;
    }

    /** The visitor was reset or closed at once, without a byte. */
    private static void assertRefused(Socket visitor) throws IOException {
        try (visitor) {
            visitor.getOutputStream().write(1);
            assertEquals(-1, visitor.getInputStream().read());
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset") || reset.getMessage().contains("Broken pipe"),
                    reset.getMessage());
        }
    }

    private static void assertEchoes(Socket visitor) throws IOException {
        try (visitor) {
            visitor.getOutputStream().write(42);
            assertEquals(42, visitor.getInputStream().read());
        }
    }
}
