package rtunnel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Basic credentials in a request head, from exact bytes (RFC 7617's own example among them). */
class BasicAuthTest {

    private final BasicAuth aladdin = new BasicAuth("Aladdin", "open sesame");

    @Test
    void admitsTheRightCredentialsWhateverTheSchemesCase() {
        assertTrue(admits("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"));
        assertTrue(admits("GET / HTTP/1.1\r\nauthorization:   basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== \r\n\r\n"));
    }

    @Test
    void refusesWrongMissingOrOtherCredentials() {
        assertFalse(admits("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertFalse(admits("GET / HTTP/1.1\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZR==\r\n\r\n"));
        assertFalse(admits("GET / HTTP/1.1\r\nAuthorization: Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"));
        assertFalse(admits("GET / HTTP/1.1\r\nAuthorization: Basic\r\n\r\n"));
    }

    @Test
    void onlyTheFirstRequestOfAHeadCounts() {
        assertFalse(admits("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nAuthorization: Basic "
                + "QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"));
    }

    @Test
    void thePasswordNeverShowsInText() {
        assertEquals("BasicAuth[user=Aladdin]", aladdin.toString());
    }

    @Test
    void badCredentialsAreRefused() {
        assertEquals("a basic auth user may not contain ':'",
                assertThrows(IllegalArgumentException.class, () -> new BasicAuth("a:b", "c")).getMessage());
        assertEquals("basic auth needs a user and a password",
                assertThrows(IllegalArgumentException.class, () -> new BasicAuth("a", "")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("a", "b\r\nX-Evil: 1"));
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("a", "b".repeat(BasicAuth.MAX_LENGTH + 1)));
    }

    private boolean admits(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return aladdin.admits(bytes, HttpHead.end(bytes, bytes.length));
    }
}
