package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The server's lines about names and web ports, human and JSON, fed by hand. */
class PrintedNameEventsTest {

    private final StringWriter out = new StringWriter();

    @Test
    void jsonReportsWebPortsAndNamesComingAndGoing() {
        ServerEvents events = new PrintedServerEvents(true, false, new PrintWriter(out), new PrintWriter(new StringWriter()));

        events.webListening(new InetSocketAddress("127.0.0.1", 8080), false);
        events.nameUp("app.myserver.com", "198.51.100.7:42882");
        events.nameDown("app.myserver.com", "198.51.100.7:42882", "client going away");

        assertEquals("{\"event\":\"web_listening\",\"address\":\"127.0.0.1:8080\",\"scheme\":\"http\"}\n"
                + "{\"event\":\"name_up\",\"name\":\"app.myserver.com\",\"client\":\"198.51.100.7:42882\"}\n"
                + "{\"event\":\"name_down\",\"name\":\"app.myserver.com\",\"client\":\"198.51.100.7:42882\","
                + "\"reason\":\"client going away\"}\n", out.toString());
    }

    @Test
    void humanLinesShowOnlyTheWebPorts() {
        ServerEvents events = new PrintedServerEvents(false, false, new PrintWriter(out), new PrintWriter(new StringWriter()));

        events.webListening(new InetSocketAddress("127.0.0.1", 8443), true);
        events.nameUp("app.myserver.com", "198.51.100.7:42882");

        assertEquals("rtunnel_server: listening for HTTPS visitors on 127.0.0.1:8443\n", out.toString());
    }
}
