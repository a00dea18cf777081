package rtunnel.server;

import java.net.Inet6Address;
import java.net.InetAddress;

/** The source a handshake is counted against for {@code --per-source-max-startups}: an address or a network. */
final class SourceBlock {

    /**
     * An IPv6 source counts by its /64. A /64 is the smallest network an ISP gives a site (SLAAC needs it),
     * so one machine can take any of 2^64 addresses in it: counting by address would give it 2^64 quotas.
     * sshd's default (PerSourceNetBlockSize 32:128) counts IPv6 by address. A site behind one /56 or /48
     * still has 256 or 65536 quotas, which the global limit bounds.
     */
    static final int IPV6_PREFIX_BITS = 64;

    private SourceBlock() {
    }

    /** {@code 203.0.113.5} for an IPv4 address (one address each), {@code 2001:db8:0:1::/64} for IPv6. */
    static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < IPV6_PREFIX_BITS / 8; i += 2) {
            text.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff)).append(':');
        }
        return text.append(":/").append(IPV6_PREFIX_BITS).toString();
    }
}
