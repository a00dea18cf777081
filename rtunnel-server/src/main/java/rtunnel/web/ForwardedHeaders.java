package rtunnel.web;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The first request head with the visitor named for the app: {@code X-Forwarded-For} and {@code Forwarded}
 * (RFC 7239) in place of any the visitor sent, so that the app can trust them, as rtunnel is the edge.
 * Pure; later requests on a kept-alive connection pass unchanged.
 */
public final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    /**
     * {@code read}'s first {@code length} bytes with the headers of the head ({@code headEnd} bytes long)
     * replaced; the bytes after the head (a body, a pipelined request) follow unchanged.
     */
    public static byte[] added(byte[] read, int length, int headEnd, InetAddress visitor, String host) {
        String head = new String(read, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n", -1);
        StringBuilder out = new StringBuilder(headEnd + 128);
        // The head ends with an empty line, which split leaves as the last two elements ("", "").
        for (int i = 0; i < lines.length - 2; i++) {
            if (i > 0 && isForwarding(lines[i])) {
                continue;
            }
            out.append(lines[i]).append("\r\n");
        }
        String address = visitor.getHostAddress();
        String node = visitor instanceof Inet6Address ? "\"[" + address + "]\"" : address;
        out.append("X-Forwarded-For: ").append(address).append("\r\n");
        out.append("Forwarded: for=").append(node).append(";host=").append(host).append(";proto=http\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.length() + length - headEnd);
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.write(read, headEnd, length - headEnd);
        return bytes.toByteArray();
    }

    private static boolean isForwarding(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        return name.equals("x-forwarded-for") || name.equals("forwarded");
    }
}
