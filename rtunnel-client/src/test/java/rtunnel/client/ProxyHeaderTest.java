package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Exact header bytes against HAProxy's proxy-protocol.txt. The addresses are the spec's own v1 example
 * (192.168.0.1:56324 to 192.168.0.11:443) and, for IPv6, the same in the 2001:db8::/32 documentation prefix.
 */
class ProxyHeaderTest {

    private static final InetSocketAddress SPEC_SOURCE = address("192.168.0.1", 56324);
    private static final InetSocketAddress SPEC_DESTINATION = address("192.168.0.11", 443);
    private static final InetSocketAddress SOURCE6 = address("2001:db8::1", 56324);
    private static final InetSocketAddress DESTINATION6 = address("2001:db8::11", 443);

    @Test
    void v1Tcp4IsTheSpecsExampleLine() {
        byte[] header = ProxyHeader.encode(ProxyProtocol.V1, SPEC_SOURCE, SPEC_DESTINATION);

        assertEquals("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
                new String(header, StandardCharsets.US_ASCII));
        assertArrayEquals(hex("50524f5859205443503420 3139322e3136382e302e31 20 3139322e3136382e302e3131"
                + " 20 3536333234 20 343433 0d0a"), header);
    }

    @Test
    void v1Tcp6WritesCompressedLowerCaseAddresses() {
        assertArrayEquals(hex("50524f5859205443503620 323030313a6462383a3a31 20 323030313a6462383a3a3131"
                + " 20 3536333234 20 343433 0d0a"), ProxyHeader.encode(ProxyProtocol.V1, SOURCE6, DESTINATION6));
    }

    @Test
    void v1AtItsLongestIsTheSpecs104Characters() {
        InetSocketAddress all = address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
        String line = ProxyHeader.v1(all, all);

        assertEquals("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                + " 65535 65535\r\n", line);
        assertEquals(104, line.length());
        assertEquals(56, ProxyHeader.v1(address("255.255.255.255", 65535), address("255.255.255.255", 65535))
                .length());
    }

    @Test
    void v2OverIpv4IsSignatureProxyTcp4TwelveAddressBytes() {
        assertArrayEquals(hex("0d0a0d0a000d0a515549540a 21 11 000c c0a80001 c0a8000b dc04 01bb"),
                ProxyHeader.encode(ProxyProtocol.V2, SPEC_SOURCE, SPEC_DESTINATION));
    }

    @Test
    void v2OverIpv6IsSignatureProxyTcp6ThirtySixAddressBytes() {
        assertArrayEquals(hex("0d0a0d0a000d0a515549540a 21 21 0024"
                + " 20010db8000000000000000000000001 20010db8000000000000000000000011 dc04 01bb"),
                ProxyHeader.encode(ProxyProtocol.V2, SOURCE6, DESTINATION6));
    }

    @Test
    void noneIsNoBytes() {
        assertArrayEquals(new byte[0], ProxyHeader.encode(ProxyProtocol.NONE, SPEC_SOURCE, SPEC_DESTINATION));
    }

    @Test
    void mixedFamiliesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxyHeader.v2(SPEC_SOURCE, DESTINATION6));

        assertEquals("source 192.168.0.1 and destination 2001:db8::11 are of different address families",
                e.getMessage());
    }

    @Test
    void ipv6TextFollowsRfc5952() throws UnknownHostException {
        assertEquals("::1", ProxyHeader.text(InetAddress.getByName("::1")));
        assertEquals("::", ProxyHeader.text(InetAddress.getByName("::")));
        assertEquals("2001:db8::1:0:0:1", ProxyHeader.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", ProxyHeader.text(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:db8::", ProxyHeader.text(InetAddress.getByName("2001:db8:0:0:0:0:0:0")));
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        assertEquals("fe80::1", ProxyHeader.text(Inet6Address.getByAddress(null, linkLocal, 2)), "no zone");
    }

    @Test
    void theDestinationIsTheServersIpLiteral() {
        InetAddress visitor4 = address("203.0.113.5", 1).getAddress();
        InetAddress visitor6 = address("2001:db8::5", 1).getAddress();

        assertEquals(address("198.51.100.7", 4000), ProxyHeader.destination("198.51.100.7", 4000, visitor4));
        assertEquals(address("2001:db8::7", 4000), ProxyHeader.destination("2001:db8::7", 4000, visitor6));
    }

    @Test
    void aHostNameOrTheOtherFamilyGivesTheUnspecifiedAddress() {
        InetAddress visitor4 = address("203.0.113.5", 1).getAddress();
        InetAddress visitor6 = address("2001:db8::5", 1).getAddress();

        assertEquals(address("0.0.0.0", 4000), ProxyHeader.destination("tunnel.example", 4000, visitor4));
        assertEquals(address("::", 4000), ProxyHeader.destination("tunnel.example", 4000, visitor6));
        assertEquals(address("::", 4000), ProxyHeader.destination("198.51.100.7", 4000, visitor6));
        assertEquals(address("0.0.0.0", 4000), ProxyHeader.destination("2001:db8::7", 4000, visitor4));
        assertEquals(address("0.0.0.0", 4000), ProxyHeader.destination("300.1.1.1", 4000, visitor4));
    }

    /** An address from a literal (no DNS: InetAddress parses literals itself). */
    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(literal, e);
        }
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
