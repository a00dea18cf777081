package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Visitors of the server's HTTPS port reach the client owning their SNI name, still encrypted: TLS ends at
 * the laptop's own server, whose certificate the visitor sees.
 */
@Timeout(120)
class HttpsByNameTest {

    @Test
    void twoNamesOnOneHttpsPortReachTwoTlsServersWithTheirOwnCertificates(@TempDir Path dir) throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(); TlsTarget one = new TlsTarget("one.example.test", dir);
                TlsTarget two = new TlsTarget("two.example.test", dir)) {
            web.client("one", one.port());
            web.client("two", two.port());

            Curl.Result first = https(web, "one.example.test");
            Curl.Result second = https(web, "two.example.test");

            assertEquals(new Curl.Result(0, "tls one.example.test\n"), first);
            assertEquals(new Curl.Result(0, "tls two.example.test\n"), second);
            assertEquals("CN=two.example.test", certificateSeen(web, "two.example.test").getSubjectX500Principal()
                    .getName());
        }
    }

    @Test
    void anUnknownNameGetsTheUnrecognizedNameAlert() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start()) {
            SSLException refused = assertThrows(SSLException.class, () -> certificateSeen(web, "nobody.example.test"));

            assertTrue(refused.getMessage().contains("unrecognized_name"), refused.getMessage());
            Curl.Result curl = https(web, "nobody.example.test");
            assertEquals(35, curl.exitCode(), "curl's exit code for a failed TLS handshake");
        }
    }

    @Test
    void aHelloWithoutServerNameGetsTheUnrecognizedNameAlert() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start()) {
            SSLException refused = assertThrows(SSLException.class, () -> certificateSeen(web, null));

            assertTrue(refused.getMessage().contains("unrecognized_name"), refused.getMessage());
        }
    }

    @Test
    void plainHttpOnTheHttpsPortIsClosed() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start();
                Socket visitor = new Socket(InetAddress.getLoopbackAddress(), web.httpsPort())) {
            visitor.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
            visitor.getOutputStream().write("GET / HTTP/1.1\r\nHost: one.example.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));

            byte[] answer = visitor.getInputStream().readAllBytes();

            assertEquals(List.of((byte) 0x15, (byte) 2, (byte) 112), List.of(answer[0], answer[5], answer[6]),
                    "a fatal unrecognized_name alert record");
        }
    }

    @Test
    void aClientHelloLongerThanItsLimitGetsTheAlert() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start();
                Socket visitor = new Socket(InetAddress.getLoopbackAddress(), web.httpsPort())) {
            visitor.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
            // A handshake record of 16 KiB opening a ClientHello that claims 16 MiB: it never completes.
            byte[] endless = new byte[5 + 16 * 1024 + 64];
            System.arraycopy(new byte[] {22, 3, 1, 0x40, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0, endless, 0, 9);
            try {
                visitor.getOutputStream().write(endless);
            } catch (java.net.SocketException closedMeanwhile) {
                // The server may close as soon as its limit is reached, before the last bytes are written.
            }

            byte[] answer = visitor.getInputStream().readNBytes(7);

            assertEquals(List.of((byte) 0x15, (byte) 2, (byte) 112), List.of(answer[0], answer[5], answer[6]));
        }
    }

    @Test
    void aSilentTlsVisitorGetsTheAlertAtTheDeadline() throws Exception {
        try (WebTunnelServer web = WebTunnelServer.start(java.time.Duration.ofSeconds(1));
                Socket visitor = new Socket(InetAddress.getLoopbackAddress(), web.httpsPort())) {
            visitor.setSoTimeout((int) RunningTunnel.WAIT.toMillis());

            byte[] answer = visitor.getInputStream().readAllBytes();

            assertEquals(List.of((byte) 0x15, (byte) 2, (byte) 112), List.of(answer[0], answer[5], answer[6]));
        }
    }

    private static Curl.Result https(WebTunnelServer web, String name) throws IOException, InterruptedException {
        return Curl.run("-k", "--resolve", name + ":" + web.httpsPort() + ":127.0.0.1",
                "https://" + name + ":" + web.httpsPort() + "/");
    }

    /** The certificate a TLS visitor asking for {@code name} (none when null) is shown, trusting any. */
    private static X509Certificate certificateSeen(WebTunnelServer web, String name) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingAny()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                web.httpsPort())) {
            socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(name == null ? List.of() : List.of(new SNIHostName(name)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Trusts every certificate: the test checks which one it was shown, not who signed it. */
    private static final class TrustingAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
