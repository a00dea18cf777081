package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** IPv4 sources count by address, IPv6 ones by their /64. */
class SourceBlockTest {

    @Test
    void anIpv4SourceIsItsAddress() throws UnknownHostException {
        assertEquals("203.0.113.5", SourceBlock.of(InetAddress.getByName("203.0.113.5")));
        assertNotEquals(SourceBlock.of(InetAddress.getByName("203.0.113.5")),
                SourceBlock.of(InetAddress.getByName("203.0.113.6")));
    }

    @Test
    void anIpv4MappedIpv6AddressCountsAsItsIpv4Address() throws UnknownHostException {
        assertEquals("203.0.113.5", SourceBlock.of(InetAddress.getByName("::ffff:203.0.113.5")));
    }

    @Test
    void everyAddressOfAnIpv6Slash64IsOneSource() throws UnknownHostException {
        String block = SourceBlock.of(InetAddress.getByName("2001:db8:0:1:aaaa:bbbb:cccc:dddd"));

        assertEquals("2001:db8:0:1::/64", block);
        assertEquals(block, SourceBlock.of(InetAddress.getByName("2001:db8:0:1::1")));
        assertNotEquals(block, SourceBlock.of(InetAddress.getByName("2001:db8:0:2::1")));
        assertEquals("0:0:0:0::/64", SourceBlock.of(InetAddress.getByName("::1")));
    }
}
