package rtunnel.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import rtunnel.protocol.ProtocolException;

/**
 * The start of an HTTP/1 request as it arrives: where its head ends, and the host it names. Pure: it
 * reads a byte array and never the socket, so hostile heads are tested without one.
 */
public final class HttpHead {

    private HttpHead() {
    }

    /** The length of the head (up to and with its blank line) in the first {@code length} bytes, or -1. */
    public static int end(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i + 1 < length && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /**
     * The host of the first request in a complete head: its {@code Host} header (or an absolute request
     * target's host), lower-cased, without port or a trailing dot.
     *
     * @throws ProtocolException when the head is not an HTTP/1 request or names no host
     */
    public static String host(byte[] bytes, int headLength) throws ProtocolException {
        String[] requestLine = lines(bytes, headLength)[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new ProtocolException("not an HTTP/1 request line");
        }
        String host = header(bytes, headLength, "host");
        if (host != null) {
            return normalized(host);
        }
        String target = requestLine[1].toLowerCase(Locale.ROOT);
        if (target.startsWith("http://") || target.startsWith("https://")) {
            String rest = target.substring(target.indexOf("//") + 2);
            return normalized(rest.split("[/?#]", 2)[0]);
        }
        throw new ProtocolException("request names no host");
    }

    /** The value of the first header {@code name} (any case) in a complete head, trimmed; null without one. */
    public static String header(byte[] bytes, int headLength, String name) {
        String[] lines = lines(bytes, headLength);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The head's lines, up to the blank line, without their line ends. */
    private static String[] lines(byte[] bytes, int headLength) {
        return new String(bytes, 0, headLength, StandardCharsets.ISO_8859_1).split("\r?\n");
    }

    /** {@code authority} lower-cased, without its port (IPv6 literals keep their brackets) or final dot. */
    static String normalized(String authority) throws ProtocolException {
        String host = authority.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new ProtocolException("request names no host");
        }
        return host;
    }
}
