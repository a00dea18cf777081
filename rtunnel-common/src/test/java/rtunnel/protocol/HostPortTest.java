package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

    @Test
    void bareNumberIsAPortOnTheDefaultHost() {
        assertEquals(new HostPort("", 4000), HostPort.parse("4000", "", 19050));
    }

    @Test
    void bareHostTakesTheDefaultPort() {
        assertEquals(new HostPort("example.com", 19050), HostPort.parse("example.com", "", 19050));
    }

    @Test
    void hostAndPortAreSplitAtTheColon() {
        assertEquals(new HostPort("example.com", 4000), HostPort.parse("example.com:4000", "", -1));
    }

    @Test
    void bracketedIpv6AddressTakesAPort() {
        assertEquals(new HostPort("::1", 19050), HostPort.parse("[::1]:19050", "", -1));
    }

    @Test
    void bracketedIpv6AddressWithoutPortTakesTheDefault() {
        assertEquals(new HostPort("::1", 19050), HostPort.parse("[::1]", "", 19050));
    }

    @Test
    void missingHostBeforeTheColonIsTheDefaultHost() {
        assertEquals(new HostPort("127.0.0.1", 4000), HostPort.parse(":4000", "127.0.0.1", -1));
    }

    @Test
    void surroundingSpaceIsIgnored() {
        assertEquals(new HostPort("example.com", 4000), HostPort.parse("  example.com:4000 ", "", -1));
    }

    @Test
    void portZeroAndPort65535AreBothValid() {
        assertEquals(0, HostPort.parse("host:0", "", -1).port());
        assertEquals(65535, HostPort.parse("host:65535", "", -1).port());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "::1          | '::1': write IPv6 addresses as [ADDRESS]:PORT",
        "host:99999   | 'host:99999': port 99999 is above 65535",
        "99999        | '99999': port 99999 is above 65535",
        "123456       | '123456': port must be a number from 0 to 65535",
        "host:        | 'host:': port must be a number from 0 to 65535",
        "host:-1      | 'host:-1': port must be a number from 0 to 65535",
        "host:http    | 'host:http': port must be a number from 0 to 65535",
        "example.com  | 'example.com': missing port",
        "[::1         | '[::1': missing ']' after IPv6 address",
        "[::1]4000    | '[::1]4000': expected ':PORT' after ']'",
    })
    void badAddressIsRefusedQuotingWhatWasTyped(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text, "", -1));

        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"''", "'   '"})
    void emptyAddressIsRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text, "", 4000));

        assertEquals("empty address", e.getMessage());
    }

    @Test
    void constructorRefusesAPortOutsideSixteenBits() {
        assertEquals("port 65536 is not between 0 and 65535",
                assertThrows(IllegalArgumentException.class, () -> new HostPort("x", 65536)).getMessage());
        assertEquals("port -1 is not between 0 and 65535",
                assertThrows(IllegalArgumentException.class, () -> new HostPort("x", -1)).getMessage());
    }

    @Test
    void textFormBracketsIpv6AndShowsAnEmptyHostAsAllInterfaces() {
        assertEquals("0.0.0.0:4000", new HostPort("", 4000).toString());
        assertEquals("[::1]:19050", new HostPort("::1", 19050).toString());
        assertEquals("example.com:80", new HostPort("example.com", 80).toString());
    }

    @Test
    void wildcardHostsMeanEveryInterface() {
        assertTrue(new HostPort("", 1).isWildcard());
        assertTrue(new HostPort("0.0.0.0", 1).isWildcard());
        assertTrue(new HostPort("::", 1).isWildcard());
        assertFalse(new HostPort("127.0.0.1", 1).isWildcard());
    }
}
