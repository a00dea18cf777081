package rtunnel.cli;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Arrays;
import rtunnel.protocol.HostPort;

/** A bound socket address as users type it: {@code 0.0.0.0:19050}, {@code [::1]:19050}. */
public final class AddressText {

    private AddressText() {
    }

    /** The numeric address and port, IPv6 shortened (RFC 5952) and bracketed. */
    public static String of(InetSocketAddress address) {
        if (address.getAddress() == null) {
            return new HostPort(address.getHostString(), address.getPort()).toString();
        }
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            host = shortenIpv6(host);
        }
        return new HostPort(host, address.getPort()).toString();
    }

    /** Replaces the longest run of two or more zero groups with {@code ::}; {@code 0:0:0:0:0:0:0:1} → {@code ::1}. */
    static String shortenIpv6(String full) {
        int percent = full.indexOf('%');
        String scope = percent < 0 ? "" : full.substring(percent);
        String[] groups = (percent < 0 ? full : full.substring(0, percent)).split(":", -1);
        int bestStart = -1;
        int bestLength = 1;
        for (int start = 0; start < groups.length; start++) {
            int length = 0;
            while (start + length < groups.length && groups[start + length].equals("0")) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups) + scope;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail + scope;
    }
}
