package rtunnel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDR blocks of visitor addresses, IPv4 and IPv6, and the allow-lists made of them. */
class AllowListTest {

    @Test
    void anIpv4BlockHoldsItsNetworkOnly() throws UnknownHostException {
        AddressBlock block = AddressBlock.parse("10.1.0.0/16");

        assertTrue(block.contains(address("10.1.255.7")));
        assertFalse(block.contains(address("10.2.0.1")));
        assertFalse(block.contains(address("::1")), "an IPv6 visitor is never in an IPv4 block");
    }

    @Test
    void anIpv6BlockHoldsItsNetworkOnly() throws UnknownHostException {
        AddressBlock block = AddressBlock.parse("2001:db8::/32");

        assertTrue(block.contains(address("2001:db8:ffff::1")));
        assertFalse(block.contains(address("2001:db9::1")));
        assertFalse(block.contains(address("10.0.0.1")));
    }

    @Test
    void anIpv4MappedVisitorCountsAsItsIpv4Address() throws UnknownHostException {
        assertTrue(AddressBlock.parse("127.0.0.1").contains(address("::ffff:127.0.0.1")));
        assertFalse(AddressBlock.parse("127.0.0.1").contains(address("::ffff:127.0.0.2")));
    }

    @Test
    void aBareAddressIsABlockOfOneAndTheHostBitsAreDropped() {
        assertEquals("127.0.0.1/32", AddressBlock.parse("127.0.0.1").toString());
        assertEquals("10.0.0.0/8", AddressBlock.parse("10.9.8.7/8").toString());
        assertEquals(AddressBlock.parse("10.0.0.0/8"), AddressBlock.parse("10.255.0.0/8"));
        assertEquals("0:0:0:0:0:0:0:1/128", AddressBlock.parse("::1").toString());
    }

    @Test
    void prefixZeroHoldsEveryAddressOfItsFamily() throws UnknownHostException {
        assertTrue(AddressBlock.parse("0.0.0.0/0").contains(address("203.0.113.9")));
        assertTrue(AddressBlock.parse("::/0").contains(address("2001:db8::9")));
    }

    @Test
    void badBlocksAreRefusedNamingTheValue() {
        assertEquals("'10.0.0.0/33' is not a CIDR block: the prefix length must be 0 to 32", refusal("10.0.0.0/33"));
        assertEquals("'::/129' is not a CIDR block: the prefix length must be 0 to 128", refusal("::/129"));
        assertEquals("'10.0.0.0/x' is not a CIDR block: the prefix length is not a number", refusal("10.0.0.0/x"));
        assertEquals("'example.com/8' is not a CIDR block: not an IPv4 or IPv6 address", refusal("example.com/8"));
        assertEquals("'10.0.0.256' is not a CIDR block: not an IPv4 or IPv6 address", refusal("10.0.0.256"));
        assertEquals("'' is not a CIDR block: not an IPv4 or IPv6 address", refusal(""));
    }

    @Test
    void anEmptyListAdmitsEveryoneAndAListItsBlocksOnly() throws UnknownHostException {
        AllowList list = AllowList.parse(List.of("10.0.0.0/8", " 2001:db8::/32"));

        assertTrue(AllowList.ANYONE.admits(address("203.0.113.9")));
        assertTrue(list.admits(address("10.3.3.3")));
        assertTrue(list.admits(address("2001:db8::5")));
        assertFalse(list.admits(address("127.0.0.1")));
        assertEquals(List.of("10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32"), list.texts());
    }

    @Test
    void aListHoldsAtMostItsLimitOfBlocks() {
        List<String> many = Collections.nCopies(AllowList.MAX_BLOCKS + 1, "10.0.0.0/8");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowList.parse(many));

        assertEquals("65 --allow-from blocks, more than 64", e.getMessage());
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse(text)).getMessage();
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
