package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.Await;

/**
 * {@code --metrics HOST:0}: both programs say which port the system picked, the server on stdout after its
 * "listening" line, the client on stderr (its stdout is for tunnels), and with --json as an event; the
 * address printed is the one that answers.
 */
@Timeout(90)
class MetricsAddressTest {

    private static final String SERVER_LISTENING = "rtunnel_server: listening for clients on 127.0.0.1:";
    private static final Pattern SERVING = Pattern.compile("serving metrics on (http://127\\.0\\.0\\.1:(\\d+)/metrics)");

    @Test
    void bothProgramsPrintTheAddressTheyBoundAndItAnswers() throws Exception {
        try (RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0", "--metrics",
                "127.0.0.1:0")) {
            String listening = server.awaitLine(SERVER_LISTENING);
            String serverLine = server.awaitLine("rtunnel_server: serving metrics on ");
            String control = listening.substring(SERVER_LISTENING.length());
            Matcher serverMetrics = SERVING.matcher(serverLine);
            assertTrue(serverMetrics.find() && !serverMetrics.group(2).equals("0"), serverLine);
            assertTrue(get(serverMetrics.group(1)).contains("rtunnel_server_clients "), "the server's metrics");

            try (RunningProgram client = RunningProgram.start("rtunnel_client", "-c", "127.0.0.1:" + control,
                    "-f", "127.0.0.1:0", "-t", "127.0.0.1:9", "--metrics", "127.0.0.1:0")) {
                String up = client.awaitLine("rtunnel_client: ");
                assertTrue(up.contains(" -> 127.0.0.1:9"), "stdout holds the tunnel's line only: " + up);
                Await.until("the client's metrics line on stderr", RunningProgram.DEADLINE,
                        () -> SERVING.matcher(client.stderr()).find());
                Matcher clientMetrics = SERVING.matcher(client.stderr());
                assertTrue(clientMetrics.find() && client.stderr().contains("rtunnel_client: serving metrics on "),
                        client.stderr());
                assertTrue(get(clientMetrics.group(1)).contains("rtunnel_client_"), "the client's metrics");
                assertEquals(ExitCodes.OK, client.stop(), client.stderr());
            }
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    @Test
    void withJsonTheServerReportsAnEventAfterListening() throws Exception {
        try (RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0", "--metrics",
                "127.0.0.1:0", "--json")) {
            String first = server.awaitLine("{");
            String second = server.awaitLine("{");

            assertTrue(first.startsWith("{\"event\":\"listening\""), first);
            Matcher event = Pattern.compile("^\\{\"event\":\"metrics_listening\",\"address\":\"127\\.0\\.0\\.1:(\\d+)\"}$")
                    .matcher(second);
            assertTrue(event.find(), second);
            assertTrue(get("http://127.0.0.1:" + event.group(1) + "/health").startsWith("serving"));
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection http = (HttpURLConnection) new URL(url).openConnection();
        http.setConnectTimeout(5_000);
        http.setReadTimeout(5_000);
        assertEquals(200, http.getResponseCode(), url);
        try (InputStream in = http.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
