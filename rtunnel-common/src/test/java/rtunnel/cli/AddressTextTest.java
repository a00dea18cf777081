package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressTextTest {

    @Test
    void showsAnIpv4AddressAndPort() throws UnknownHostException {
        assertEquals("127.0.0.1:19050", AddressText.of(address("127.0.0.1", 19050)));
        assertEquals("0.0.0.0:4000", AddressText.of(address("0.0.0.0", 4000)));
    }

    @Test
    void shortensAndBracketsIpv6() throws UnknownHostException {
        assertEquals("[::1]:19050", AddressText.of(address("::1", 19050)));
        assertEquals("[::]:19050", AddressText.of(address("::", 19050)));
        assertEquals("[2001:db8::1:0:0:1]:80", AddressText.of(address("2001:db8:0:0:1:0:0:1", 80)));
    }

    @Test
    void leavesASingleZeroGroupAlone() {
        assertEquals("2001:db8:0:1:1:1:1:1", AddressText.shortenIpv6("2001:db8:0:1:1:1:1:1"));
    }

    @Test
    void keepsTheScope() {
        assertEquals("fe80::1%2", AddressText.shortenIpv6("fe80:0:0:0:0:0:0:1%2"));
    }

    @Test
    void showsAnUnresolvedHostAsTyped() {
        assertEquals("nosuch.invalid:80", AddressText.of(InetSocketAddress.createUnresolved("nosuch.invalid", 80)));
    }

    private static InetSocketAddress address(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }
}
