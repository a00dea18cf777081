package rtunnel.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import rtunnel.protocol.ProtocolException;

/**
 * The head of one HTTP/1.x request to the metrics endpoint (a Prometheus scrape, a balancer's health check),
 * read within a limit of bytes and one deadline for the whole head, so that a peer sending too much, a byte
 * at a time or nothing cannot hold the endpoint. Only the request line matters to the endpoint.
 *
 * @param method the request's method, as sent
 * @param path the path of its target, without the query
 */
record RequestHead(String method, String path) {

    /** A check or a scrape sends a few hundred bytes of head; 8 KiB is many times that, and bounds a flood. */
    static final int MAX_BYTES = 8 * 1024;

    /**
     * The whole head must arrive within this: a scraper or a balancer on a working network sends it at once,
     * and a balancer's own check timeout is about as long, so a slower peer is not one worth waiting for.
     */
    static final Duration DEADLINE = Duration.ofSeconds(2);

    /** Reads the head from {@code socket} up to its blank line, within {@link #MAX_BYTES} and {@link #DEADLINE}. */
    static RequestHead read(Socket socket) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        InputStream in = socket.getInputStream();
        byte[] head = new byte[MAX_BYTES];
        int length = 0;
        while (!ended(head, length)) {
            if (length == MAX_BYTES) {
                throw new ProtocolException("request head exceeds " + MAX_BYTES + " bytes");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no request head within " + DEADLINE.toMillis() + " ms");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int read = in.read(head, length, MAX_BYTES - length);
            if (read < 0) {
                throw new ProtocolException("connection closed in the request head");
            }
            length += read;
        }
        return parse(new String(head, 0, length, StandardCharsets.ISO_8859_1));
    }

    /** The request of a head's text: its first line is {@code METHOD SP TARGET SP HTTP/1.x}. */
    static RequestHead parse(String head) throws ProtocolException {
        String line = head.lines().findFirst().orElse("");
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].startsWith("/") || !parts[2].startsWith("HTTP/1.")) {
            throw new ProtocolException("malformed request line");
        }
        int query = parts[1].indexOf('?');
        return new RequestHead(parts[0], query < 0 ? parts[1] : parts[1].substring(0, query));
    }

    /** Whether the first {@code length} bytes end with the blank line after the head (CRLF, or a bare LF). */
    private static boolean ended(byte[] head, int length) {
        return length >= 2 && head[length - 1] == '\n'
                && (head[length - 2] == '\n' || length >= 4 && head[length - 2] == '\r' && head[length - 3] == '\n');
    }
}
