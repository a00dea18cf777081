package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/** Prometheus scrapes both programs over HTTP and sees the tunnel's traffic. */
@Timeout(60)
class MetricsEndToEndTest {

    private static String scrape(InetSocketAddress endpoint, String path) throws IOException {
        HttpURLConnection http = (HttpURLConnection) new URL("http://127.0.0.1:" + endpoint.getPort() + path)
                .openConnection();
        http.setConnectTimeout(5_000);
        http.setReadTimeout(5_000);
        if (http.getResponseCode() != 200) {
            return "HTTP " + http.getResponseCode();
        }
        assertTrue(http.getContentType().startsWith("text/plain; version=0.0.4"), http.getContentType());
        try (InputStream in = http.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InetSocketAddress anyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Test
    void bothProgramsCountClientsTunnelsStreamsBytesAndRefusals() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            InetSocketAddress server = tunnel.server.serveMetrics(anyPort());
            InetSocketAddress client = tunnel.client.serveMetrics(anyPort());
            HostPort where = tunnel.nextBound();
            ReliabilityTest.assertEchoes(where);
            String port = Integer.toString(where.port());
            Await.until("the stream ended", RunningTunnel.WAIT, () -> target.open() == 0);
            try (RunningTunnel refused = new RunningTunnel(tunnel.server, RunningTunnel.clientSettings(tunnel.server,
                    List.of(new TunnelSpec(where, new HostPort("127.0.0.1", 9)))))) {
                Await.until("the second client is refused", RunningTunnel.WAIT, refused.clientRun::isDone);
            }
            String serverText = scrape(server, "/metrics");
            assertTrue(serverText.contains("rtunnel_server_tunnels 1\n"), serverText);
            assertTrue(serverText.contains("rtunnel_server_streams_total{port=\"" + port + "\"} 1\n"), serverText);
            assertTrue(serverText.contains("rtunnel_server_bytes_total{port=\"" + port + "\",direction=\"in\"} 3\n"), serverText);
            assertTrue(serverText.contains("rtunnel_server_bytes_total{port=\"" + port + "\",direction=\"out\"} 3\n"), serverText);
            assertTrue(serverText.contains("rtunnel_server_refusals_total{reason=\"port_in_use\"} 1\n"), serverText);
            String clientText = scrape(client, "/metrics");
            assertTrue(clientText.contains("rtunnel_client_streams_total{port=\"" + port + "\"} 1\n"), clientText);
            assertTrue(clientText.contains("rtunnel_client_bytes_total{port=\"" + port + "\",direction=\"in\"} 3\n"), clientText);
            assertTrue(clientText.contains("rtunnel_client_reconnects_total 0\n"), clientText);
            assertEquals("HTTP 404", scrape(server, "/other"));
        }
    }

    @Test
    void theEndpointClosesWithTheServer() throws Exception {
        InetSocketAddress endpoint;
        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            endpoint = server.serveMetrics(anyPort());
            assertTrue(scrape(endpoint, "/metrics").contains("rtunnel_server_clients 0"));
        }
        assertTrue(ReliabilityTest.refuses(new HostPort("127.0.0.1", endpoint.getPort())), "the port is released");
    }
}
