package rtunnel.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PROXY protocol header that tells a target which visitor a connection relays, as HAProxy's
 * proxy-protocol.txt (versions 1 and 2) defines it. Pure: it builds bytes and looks nothing up.
 *
 * <pre>
 * v1: "PROXY" SP ("TCP4" | "TCP6") SP src-ip SP dst-ip SP src-port SP dst-port CR LF
 * v2: signature (12) | 0x21 version 2, PROXY | 0x11 TCP/IPv4 or 0x21 TCP/IPv6 | length (2)
 *     | src-ip (4 or 16) | dst-ip (4 or 16) | src-port (2) | dst-port (2), all in network byte order
 * </pre>
 */
final class ProxyHeader {

    /** The v2 header's first 12 bytes, which no v1 line or HTTP request starts with. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Version 2 in the high nibble, command PROXY (relayed on behalf of another node) in the low one. */
    private static final byte V2_PROXY = 0x21;
    private static final byte TCP_OVER_IPV4 = 0x11;
    private static final byte TCP_OVER_IPV6 = 0x21;
    private static final Pattern IPV4_LITERAL = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

    private ProxyHeader() {
    }

    /** The header {@code version} sends for a visitor at {@code source} who reached {@code destination}. */
    static byte[] encode(ProxyProtocol version, InetSocketAddress source, InetSocketAddress destination) {
        return switch (version) {
            case NONE -> new byte[0];
            case V1 -> v1(source, destination).getBytes(StandardCharsets.US_ASCII);
            case V2 -> v2(source, destination);
        };
    }

    /** The v1 text line, CRLF included. */
    static String v1(InetSocketAddress source, InetSocketAddress destination) {
        String family = isIpv4(source, destination) ? "TCP4" : "TCP6";
        return "PROXY " + family + " " + text(source.getAddress()) + " " + text(destination.getAddress()) + " "
                + source.getPort() + " " + destination.getPort() + "\r\n";
    }

    /** The v2 binary header: 28 bytes over IPv4, 52 over IPv6. */
    static byte[] v2(InetSocketAddress source, InetSocketAddress destination) {
        boolean ipv4 = isIpv4(source, destination);
        int addresses = ipv4 ? 2 * 4 + 2 * 2 : 2 * 16 + 2 * 2;
        ByteBuffer header = ByteBuffer.allocate(V2_SIGNATURE.length + 4 + addresses);
        header.put(V2_SIGNATURE).put(V2_PROXY).put(ipv4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6).putShort((short) addresses);
        header.put(source.getAddress().getAddress()).put(destination.getAddress().getAddress());
        header.putShort((short) source.getPort()).putShort((short) destination.getPort());
        return header.array();
    }

    /**
     * The address a visitor reached, of the visitor's own family as both versions require: {@code publicHost}
     * when it is an IP literal of that family, otherwise (a host name, or the other family) the unspecified
     * address {@code 0.0.0.0} or {@code ::}. Host names are not resolved: the target would learn nothing a DNS
     * answer from this machine could vouch for, and a lookup per visitor would slow every connection.
     */
    static InetSocketAddress destination(String publicHost, int publicPort, InetAddress visitor) {
        InetAddress literal = literal(publicHost);
        boolean sameFamily = literal != null && (literal instanceof Inet4Address) == (visitor instanceof Inet4Address);
        if (sameFamily) {
            return new InetSocketAddress(literal, publicPort);
        }
        byte[] unspecified = new byte[visitor instanceof Inet4Address ? 4 : 16];
        try {
            return new InetSocketAddress(InetAddress.getByAddress(unspecified), publicPort);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 bytes are valid address lengths", e);
        }
    }

    /** An IPv4 literal as dotted decimal; IPv6 in RFC 5952 form (lower case, longest zero run as ::), no zone. */
    static String text(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int runStart = -1;
        int runLength = 1; // RFC 5952: a single zero group stays "0"
        for (int i = 0; i < 8; i++) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > runLength) {
                runStart = i;
                runLength = end - i;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            boolean afterRun = runStart >= 0 && i == runStart + runLength;
            text.append(i == 0 || afterRun ? "" : ":").append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static boolean isIpv4(InetSocketAddress source, InetSocketAddress destination) {
        boolean ipv4 = source.getAddress() instanceof Inet4Address;
        if (ipv4 != destination.getAddress() instanceof Inet4Address) {
            throw new IllegalArgumentException("source " + text(source.getAddress()) + " and destination "
                    + text(destination.getAddress()) + " are of different address families");
        }
        return ipv4;
    }

    /** {@code host} as an address when it is an IPv4 or IPv6 literal, else null; never a DNS lookup. */
    private static InetAddress literal(String host) {
        try {
            if (host.indexOf(':') >= 0) {
                // Brackets make InetAddress insist on an IPv6 literal instead of trying DNS.
                return InetAddress.getByName("[" + host + "]");
            }
            Matcher ipv4 = IPV4_LITERAL.matcher(host);
            if (!ipv4.matches()) {
                return null;
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(ipv4.group(i + 1));
                if (part > 255) {
                    return null;
                }
                bytes[i] = (byte) part;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // not a literal: the caller falls back to the unspecified address
        }
    }
}
