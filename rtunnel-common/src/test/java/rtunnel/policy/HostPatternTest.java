package rtunnel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostPatternTest {

    @Test
    void aPlainHostMatchesItselfIgnoringCase() {
        HostPattern pattern = new HostPattern("Tunnel.Example.org");

        assertTrue(pattern.matches("tunnel.example.org"));
        assertTrue(pattern.matches("TUNNEL.EXAMPLE.ORG"));
        assertFalse(pattern.matches("tunnel.example.org.evil.net"));
        assertFalse(pattern.matches("example.org"));
    }

    @Test
    void starAndQuestionMarkAreWildcards() {
        assertTrue(new HostPattern("10.0.0.*").matches("10.0.0.17"));
        assertFalse(new HostPattern("10.0.0.*").matches("10.0.1.17"));
        assertTrue(new HostPattern("127.0.0.?").matches("127.0.0.1"));
        assertFalse(new HostPattern("127.0.0.?").matches("127.0.0.10"));
        assertTrue(new HostPattern("*.example.org").matches("a.b.example.org"));
        assertFalse(new HostPattern("*.example.org").matches("example.org"));
        assertTrue(new HostPattern("a*b*c").matches("aXbYbZc"));
        assertFalse(new HostPattern("a*b*c").matches("aXbYbZ"));
    }

    @Test
    void localhostAndTheLoopbackLiteralsMatchEachOther() {
        assertTrue(new HostPattern("localhost").matches("127.0.0.1"));
        assertTrue(new HostPattern("localhost").matches("::1"));
        assertTrue(new HostPattern("LocalHost").matches("LOCALHOST"));
        assertTrue(new HostPattern("127.0.0.1").matches("localhost"));
        assertTrue(new HostPattern("::1").matches("localhost"));
        assertFalse(new HostPattern("127.0.0.1").matches("::1"), "only through the name localhost");
        assertFalse(new HostPattern("localhost").matches("127.0.0.2"));
    }

    @Test
    void aRequestForAllInterfacesMatchesOnlyStar() {
        for (String everywhere : new String[] {"", "0.0.0.0", "::", "*"}) {
            assertTrue(HostPattern.ANY.matches(everywhere), everywhere);
            assertFalse(new HostPattern("*.*").matches(everywhere), everywhere);
            assertFalse(new HostPattern("0.0.0.?").matches(everywhere), everywhere);
            assertFalse(new HostPattern("localhost").matches(everywhere), everywhere);
        }
        assertTrue(HostPattern.ANY.matches("192.0.2.1"));
    }

    @Test
    void anAllInterfacesHostIsAnyAddress() {
        for (String everywhere : new String[] {"0.0.0.0", "::"}) {
            assertEquals(HostPattern.ANY, new HostPattern(everywhere), everywhere);
        }
    }

    @Test
    void patternsThatCouldNeverMatchAsMeantAreRefused() {
        assertEquals("empty host (leave the host out, or write *, for any address)",
                assertThrows(IllegalArgumentException.class, () -> new HostPattern("")).getMessage());
        assertEquals("host pattern \"!a.org\" may hold only one pattern, without '!', ',' or spaces",
                assertThrows(IllegalArgumentException.class, () -> new HostPattern("!a.org")).getMessage());
    }
}
