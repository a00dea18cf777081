package rtunnel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.ProtocolException;

/** Where a request head ends and which host it names, from exact bytes. */
class HttpHeadTest {

    @Test
    void theHeadEndsAfterTheBlankLineAndTheBodyIsNotPartOfIt() {
        byte[] bytes = bytes("POST / HTTP/1.1\r\nHost: a\r\n\r\nbody");

        assertEquals(bytes.length - 4, HttpHead.end(bytes, bytes.length));
    }

    @Test
    void anIncompleteHeadHasNoEndYet() {
        byte[] bytes = bytes("GET / HTTP/1.1\r\nHost: a\r\n");

        assertEquals(-1, HttpHead.end(bytes, bytes.length));
    }

    @Test
    void bareNewlinesEndAHeadToo() {
        byte[] bytes = bytes("GET / HTTP/1.1\nHost: a\n\n");

        assertEquals(bytes.length, HttpHead.end(bytes, bytes.length));
    }

    @Test
    void theHostIsLowerCasedWithoutPortOrFinalDot() throws ProtocolException {
        assertEquals("app.example.test", host("GET / HTTP/1.1\r\nhOsT:  App.Example.TEST.:8080 \r\n\r\n"));
    }

    @Test
    void anIpv6LiteralKeepsItsBracketsAndLosesItsPort() throws ProtocolException {
        assertEquals("[::1]", host("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"));
    }

    @Test
    void anAbsoluteTargetNamesTheHostWhenThereIsNoHostHeader() throws ProtocolException {
        assertEquals("app.example.test", host("GET http://App.example.test:80/x?y HTTP/1.0\r\n\r\n"));
    }

    @Test
    void pipelinedRequestsAreRoutedByTheFirst() throws ProtocolException {
        String two = "GET / HTTP/1.1\r\nHost: one.example.test\r\n\r\nGET / HTTP/1.1\r\nHost: two.example.test\r\n\r\n";

        assertEquals("one.example.test", host(two));
    }

    @Test
    void http10WithoutHostIsRefused() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> host("GET / HTTP/1.0\r\n\r\n"));

        assertEquals("request names no host", e.getMessage());
    }

    @Test
    void garbageIsNotARequest() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> host("\u0016\u0003\u0001 hello\r\n\r\n"));

        assertEquals("not an HTTP/1 request line", e.getMessage());
    }

    @Test
    void anEmptyHostIsRefused() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> host("GET / HTTP/1.1\r\nHost: :80\r\n\r\n"));

        assertEquals("request names no host", e.getMessage());
    }

    private static String host(String head) throws ProtocolException {
        byte[] bytes = bytes(head);
        return HttpHead.host(bytes, HttpHead.end(bytes, bytes.length));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
