package rtunnel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The visitor named in the first head, in place of what it claimed, the bytes after the head unchanged. */
class ForwardedHeadersTest {

    @Test
    void replacesTheVisitorsOwnHeadersAndKeepsTheBody() throws Exception {
        String request = "POST /x HTTP/1.1\nHost: app.example.test\nX-Forwarded-For: 6.6.6.6\nforwarded: for=6.6.6.6"
                + "\nContent-Length: 4\n\nbody";

        assertEquals("POST /x HTTP/1.1\r\nHost: app.example.test\r\nContent-Length: 4\r\nX-Forwarded-For: 203.0.113.5"
                + "\r\nForwarded: for=203.0.113.5;host=app.example.test;proto=http\r\n\r\nbody",
                added(request, "203.0.113.5", "app.example.test"));
    }

    @Test
    void anIpv6VisitorIsQuotedAndBracketedInForwarded() throws Exception {
        assertEquals("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 2001:db8:0:0:0:0:0:1\r\nForwarded: "
                + "for=\"[2001:db8:0:0:0:0:0:1]\";host=a;proto=http\r\n\r\n", added("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "2001:db8::1", "a"));
    }

    private static String added(String request, String visitor, String host) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = ForwardedHeaders.added(bytes, bytes.length, HttpHead.end(bytes, bytes.length),
                InetAddress.getByName(visitor), host);
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
