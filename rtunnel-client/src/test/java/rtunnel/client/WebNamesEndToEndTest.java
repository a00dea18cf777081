package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.testing.Await;

/** Visitors of the server's HTTP port reach the client owning the name they ask for, with real curl. */
@Timeout(90)
class WebNamesEndToEndTest {

    @Test
    void twoNamesOnOneHttpPortReachTwoClients() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget one = new WebTarget("one");
                WebTarget two = new WebTarget("two")) {
            web.client("one", one.port());
            RunningTunnel owner = web.client(WebTunnelServer.name("two"), two.port());

            Curl.Result first = web.get("ONE.example.test", "/");
            Curl.Result second = web.get("two.example.test.", "/");

            assertEquals(new Curl.Result(0, "one GET ONE.example.test:" + web.httpPort() + " 0\n"), first);
            assertEquals(new Curl.Result(0, "two GET two.example.test.:" + web.httpPort() + " 0\n"), second);
            Await.until("the name's stream counted", RunningTunnel.WAIT, () -> web.server.metrics().render()
                    .contains("rtunnel_server_streams_total{name=\"two.example.test\"} 1\n"));
            assertTrue(owner.client.metrics().render().contains("rtunnel_client_streams_total{name=\"two.example.test\"} 1\n"),
                    owner.client.metrics().render());
        }
    }

    @Test
    void keepAliveAndRequestBodiesPassUnchanged(@TempDir Path dir) throws Exception {
        Path body = Files.write(dir.resolve("body"), new byte[1 << 20]);
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());
            String url = "http://app.example.test:" + web.httpPort();

            Curl.Result two = Curl.run("--resolve", Curl.resolve("app.example.test", web.httpPort()),
                    "-w", "connects=%{num_connects}\n", "--data-binary", "@" + body, url + "/a", url + "/b");

            String host = "app.example.test:" + web.httpPort();
            assertEquals(new Curl.Result(0, "app POST " + host + " 1048576\nconnects=1\n"
                    + "app POST " + host + " 1048576\nconnects=0\n"), two);
        }
    }

    @Test
    void anUnknownNameGets404NamingTheHost() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start()) {
            Curl.Result answer = web.get("nobody.example.test", "/", "-w", "%{http_code}");

            assertTrue(answer.out().endsWith("404"), answer.out());
            assertTrue(answer.out().contains("No tunnel is named nobody.example.test here."), answer.out());
        }
    }

    @Test
    void aNameWhoseClientIsGoneGets502() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            RunningTunnel client = web.client("app", app.port());
            client.close();

            Curl.Result answer = web.get("app.example.test", "/", "-w", "%{http_code}");

            assertTrue(answer.out().endsWith("502"), answer.out());
            assertTrue(answer.out().contains("The client of app.example.test is not connected"), answer.out());
        }
    }

    @Test
    void theServerReportsANameComingAndGoing() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port()).close();

            assertEquals("up app.example.test", web.nameEvents.poll(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            String down = web.nameEvents.poll(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // The client's GOAWAY and its closing the connection race: either may end the session first, and a
            // frame of the server's that reached the client after it stopped reading makes its close a reset.
            assertTrue(List.of("down app.example.test: client going away",
                    "down app.example.test: client closed the connection",
                    "down app.example.test: connection lost: Connection reset").contains(down), down);
        }
    }

    @Test
    void aWebSocketUpgradeWorksThroughAName() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); UpgradeTarget app = new UpgradeTarget()) {
            web.client("ws", app.port());
            try (Socket visitor = web.visit("127.0.0.1")) {
                OutputStream out = visitor.getOutputStream();
                out.write(("GET /chat HTTP/1.1\r\nHost: ws.example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = visitor.getInputStream();

                String head = UpgradeTarget.head(in);
                // A masked text frame "hi" (RFC 6455 section 5.7): the server side echoes it back as it came.
                byte[] frame = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};
                out.write(frame);

                assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
                assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
                assertEquals(new String(frame, StandardCharsets.ISO_8859_1),
                        new String(in.readNBytes(frame.length), StandardCharsets.ISO_8859_1));
            }
        }
    }

    /**
     * A visitor that sends its request and half-closes (as HAProxy passes on a client's, or a script does)
     * still gets the whole answer: the end of its input reaches the app, and the app's answer reaches it.
     */
    @Test
    void aVisitorThatHalfClosesAfterItsRequestGetsTheAnswer() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());

            String answer = web.getHalfClosed("app.example.test");

            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("app GET app.example.test 0\n"), answer);
        }
    }

    @Test
    void pipelinedRequestsForTwoNamesAllGoToTheFirst() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget one = new WebTarget("one");
                WebTarget two = new WebTarget("two")) {
            web.client("one", one.port());
            web.client("two", two.port());
            try (Socket visitor = web.visit("127.0.0.1")) {
                visitor.getOutputStream().write(("GET / HTTP/1.1\r\nHost: one.example.test\r\n\r\n"
                        + "GET / HTTP/1.1\r\nHost: two.example.test\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));

                String answers = new String(visitor.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

                assertTrue(answers.contains("one GET one.example.test 0\n"), answers);
                assertTrue(answers.contains("one GET two.example.test 0\n"), answers);
            }
        }
    }

    @Test
    void aNameOutsideTheServersDomainsIsRefused() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start()) {
            RunningTunnel client = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                    List.of(TunnelSpec.named("app.evil.test", "127.0.0.1:9"))));
            try (client) {
                RefusedException refused = refusal(client);

                assertEquals(Refusal.PORT_NOT_ALLOWED, refused.refusal());
                assertEquals("server refused name app.evil.test: name app.evil.test is outside the server's "
                        + "domains", refused.getMessage());
            }
        }
    }

    @Test
    void aNameAnotherClientOwnsIsRefused() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); WebTarget app = new WebTarget("app")) {
            web.client("app", app.port());
            RunningTunnel second = new RunningTunnel(web.server, RunningTunnel.clientSettings(web.server,
                    List.of(TunnelSpec.named("app", "127.0.0.1:9"))));
            try (second) {
                RefusedException refused = refusal(second);

                assertEquals(Refusal.PORT_IN_USE, refused.refusal());
                assertEquals("server refused name app: name app.example.test is in use by another "
                        + "client", refused.getMessage());
            }
        }
    }

    static RefusedException refusal(RunningTunnel tunnel) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> tunnel.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(RefusedException.class, failed.getCause());
    }
}
