package rtunnel.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** What the web ports say to a visitor they cannot route: a small HTTP page, or a TLS alert. */
final class WebAnswers {

    /** TLS fatal alert unrecognized_name (RFC 6066 section 3): no SNI, or a name nobody owns. */
    private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 112};

    /** TLS fatal alert access_denied (RFC 8446 section 6.2): the name is there, but not for this visitor. */
    private static final byte[] ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 49};

    private WebAnswers() {
    }

    /** Sends an HTTP answer with {@code status} ("404 Not Found") and a one-line page saying {@code why}. */
    static void http(Socket visitor, String status, String why) throws IOException {
        http(visitor, status, why, "");
    }

    /** 401 asking the browser for the user and password of {@code name} (RFC 7617). */
    static void unauthorized(Socket visitor, String name) throws IOException {
        http(visitor, "401 Unauthorized", name + " asks for a user and password.", "WWW-Authenticate: Basic realm=\""
                + name + "\", charset=\"UTF-8\"\r\n");
    }

    /** Sends the TLS alert that refuses a visitor of a name that exists. */
    static void accessDenied(Socket visitor) throws IOException {
        visitor.getOutputStream().write(ACCESS_DENIED);
        visitor.getOutputStream().flush();
    }

    private static void http(Socket visitor, String status, String why, String headers) throws IOException {
        String page = "<!doctype html><title>" + status + "</title><h1>" + status + "</h1><p>" + escaped(why)
                + "</p>\n";
        byte[] body = page.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n" + headers + "\r\n";
        visitor.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        visitor.getOutputStream().write(body);
        visitor.getOutputStream().flush();
    }

    /** Sends the TLS alert that tells a browser this server has no such name. */
    static void unrecognizedName(Socket visitor) throws IOException {
        visitor.getOutputStream().write(UNRECOGNIZED_NAME);
        visitor.getOutputStream().flush();
    }

    /** {@code text} safe inside an HTML page (a visitor chose the host name it shows). */
    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
