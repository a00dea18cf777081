package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import rtunnel.cli.DocFiles;
import rtunnel.cli.ExitCodes;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.NameAccepted;

/** The three ways the client prints its events, fed by hand: nothing here opens a socket. */
class PrintedEventsTest {

    private static final String KEY = "SHA256:gjEZHGBy1vC0iAefQUv4Bcwyvxr5JHnW5w+ByAzPfgg";
    private static final HostPort SERVER = new HostPort("127.0.0.1", 37041);
    private static final TunnelSpec TUNNEL = TunnelSpec.parse("127.0.0.1:0", "3000");
    private static final Path KNOWN_HOSTS = Path.of("/home/me/.rtunnel/known_hosts");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void humanLinesGoToStdoutForTunnelsAndStderrForTheRest() {
        play(PrintedEvents.Style.HUMAN);

        assertEquals("rtunnel_client: 127.0.0.1:36423 -> localhost:3000\n", out.toString());
        // The host key shows once, when it is first recorded; the later handshakes check it silently.
        assertEquals("rtunnel_client: first contact with server 127.0.0.1:37041: recorded its host key " + KEY
                + " in /home/me/.rtunnel/known_hosts\n"
                + "rtunnel_client: server 127.0.0.1:37041 closed the connection; reconnecting in 0.5 s (attempt 1)\n",
                err.toString());
    }

    @Test
    void quietPrintsOnlyTheReconnects() {
        play(PrintedEvents.Style.QUIET);

        assertEquals("", out.toString());
        assertEquals("rtunnel_client: server 127.0.0.1:37041 closed the connection; reconnecting in 0.5 s "
                + "(attempt 1)\n", err.toString());
    }

    @Test
    void jsonPrintsEveryEventOnStdoutAsTheGuideShowsThem() {
        play(PrintedEvents.Style.JSON);

        List<String> lines = out.toString().lines().toList();
        assertEquals(List.of(
                "{\"event\":\"host_key_recorded\",\"server\":\"127.0.0.1:37041\",\"hostKey\":\"" + KEY
                        + "\",\"file\":\"/home/me/.rtunnel/known_hosts\"}",
                "{\"event\":\"server_identified\",\"server\":\"127.0.0.1:37041\",\"hostKey\":\"" + KEY + "\"}",
                "{\"event\":\"tunnel_up\",\"remote\":\"127.0.0.1:36423\",\"target\":\"localhost:3000\"}",
                "{\"event\":\"tunnel_down\",\"remote\":\"127.0.0.1:36423\",\"target\":\"localhost:3000\","
                        + "\"reason\":\"server 127.0.0.1:37041 closed the connection\"}",
                "{\"event\":\"reconnecting\",\"attempt\":1,\"delayMillis\":541,"
                        + "\"reason\":\"server 127.0.0.1:37041 closed the connection\",\"server\":\"127.0.0.1:37041\"}",
                // Unlike the human line, JSON reports the host key after every handshake.
                "{\"event\":\"server_identified\",\"server\":\"127.0.0.1:37041\",\"hostKey\":\"" + KEY + "\"}"),
                lines);
        assertEquals("", err.toString());
        for (String line : lines) {
            DocFiles.assertScriptingShows(line);
        }
    }

    @Test
    void jsonEscapesWhatAReasonHolds() {
        new PrintedEvents(settings(), PrintedEvents.Style.JSON, new PrintWriter(out), new PrintWriter(err))
                .reconnecting(2, Duration.ofMillis(1500), "refused: \"full\"\tserver é", SERVER);

        assertEquals("{\"event\":\"reconnecting\",\"attempt\":2,\"delayMillis\":1500,"
                + "\"reason\":\"refused: \\\"full\\\"\\tserver \\u00e9\",\"server\":\"127.0.0.1:37041\"}\n",
                out.toString());
    }

    @Test
    void withSeveralServersTheHumanLineSaysWhichIsNext() {
        HostPort standby = new HostPort("standby.example.com", 19050);
        new PrintedEvents(settings().withServers(List.of(SERVER, standby)), PrintedEvents.Style.HUMAN,
                new PrintWriter(out), new PrintWriter(err))
                .reconnecting(1, Duration.ZERO, "cannot reach server 127.0.0.1:37041: Connection refused", standby);

        assertEquals("rtunnel_client: cannot reach server 127.0.0.1:37041: Connection refused; reconnecting to "
                + "standby.example.com:19050 in 0.0 s (attempt 1)\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aTunnelByNamePrintsItsUrlsWithoutDefaultPorts() {
        TunnelSpec named = TunnelSpec.named("app", "3000");
        new PrintedEvents(settings(), PrintedEvents.Style.HUMAN, new PrintWriter(out), new PrintWriter(err))
                .nameUp(named, new NameAccepted(1, "app.myserver.com", 80, 443));
        new PrintedEvents(settings(), PrintedEvents.Style.HUMAN, new PrintWriter(out), new PrintWriter(err))
                .nameUp(named, new NameAccepted(1, "app.myserver.com", 8080, 0));

        assertEquals("rtunnel_client: http://app.myserver.com https://app.myserver.com -> localhost:3000\n"
                + "rtunnel_client: http://app.myserver.com:8080 -> localhost:3000\n", out.toString());
    }

    @Test
    void jsonReportsATunnelByNameWithItsUrls() {
        new PrintedEvents(settings(), PrintedEvents.Style.JSON, new PrintWriter(out), new PrintWriter(err))
                .nameUp(TunnelSpec.named("app", "3000"), new NameAccepted(1, "app.myserver.com", 8080, 8443));

        String line = "{\"event\":\"tunnel_up\",\"remote\":\"app.myserver.com\",\"urls\":\"http://app.myserver.com:8080 "
                + "https://app.myserver.com:8443\",\"target\":\"localhost:3000\"}";
        assertEquals(line + "\n", out.toString());
        DocFiles.assertScriptingShows(line);
    }

    @Test
    void withAllServersEachServersLinesNameIt() {
        HostPort second = new HostPort("127.0.0.1", 37042);
        ClientSettings settings = settings().withServers(List.of(SERVER, second));
        for (PrintedEvents.Style style : PrintedEvents.Style.values()) {
            PrintedEvents events = new PrintedEvents(settings, style, new PrintWriter(out), new PrintWriter(err));
            events.forServer(SERVER).tunnelUp(TUNNEL, new HostPort("127.0.0.1", 36423));
            events.forServer(second).tunnelUp(TUNNEL, new HostPort("127.0.0.1", 40117));
            events.forServer(second).gaveUpOnServer(second, "server refused the connection: this server requires a "
                    + "key (-k)", ExitCodes.AUTH_REFUSED);
        }

        List<String> json = out.toString().lines().filter(line -> line.startsWith("{")).toList();
        assertEquals(List.of(
                "{\"event\":\"tunnel_up\",\"server\":\"127.0.0.1:37041\",\"remote\":\"127.0.0.1:36423\","
                        + "\"target\":\"localhost:3000\"}",
                "{\"event\":\"tunnel_up\",\"server\":\"127.0.0.1:37042\",\"remote\":\"127.0.0.1:40117\","
                        + "\"target\":\"localhost:3000\"}",
                "{\"event\":\"server_given_up\",\"server\":\"127.0.0.1:37042\",\"reason\":\"server refused the "
                        + "connection: this server requires a key (-k)\",\"exitCode\":4}"), json);
        json.forEach(DocFiles::assertScriptingShows);
        assertEquals(List.of("rtunnel_client: 127.0.0.1:36423 -> localhost:3000 (server 127.0.0.1:37041)",
                "rtunnel_client: 127.0.0.1:40117 -> localhost:3000 (server 127.0.0.1:37042)"),
                out.toString().lines().filter(line -> !line.startsWith("{")).toList());
        String givenUp = "rtunnel_client: giving up on server 127.0.0.1:37042: server refused the connection: this "
                + "server requires a key (-k); the other servers keep the tunnels\n";
        assertEquals(givenUp + givenUp, err.toString(), "human and quiet say it on stderr");
    }

    /** What a client sees when it connects, its tunnel comes up, the server stops, and it connects again. */
    private void play(PrintedEvents.Style style) {
        PrintedEvents events = new PrintedEvents(settings(), style, new PrintWriter(out), new PrintWriter(err));
        events.hostKeyRecorded(SERVER, KEY, KNOWN_HOSTS);
        events.serverIdentified(SERVER, KEY);
        events.tunnelUp(TUNNEL, new HostPort("127.0.0.1", 36423));
        events.tunnelDown(TUNNEL, new HostPort("127.0.0.1", 36423), "server 127.0.0.1:37041 closed the connection");
        events.reconnecting(1, Duration.ofMillis(541), "server 127.0.0.1:37041 closed the connection", SERVER);
        events.serverIdentified(SERVER, KEY);
    }

    private static ClientSettings settings() {
        return new ClientSettings(SERVER, List.of(TUNNEL), Duration.ofSeconds(10));
    }
}
