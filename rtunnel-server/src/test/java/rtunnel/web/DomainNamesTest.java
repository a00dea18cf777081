package rtunnel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which full name a client's --hostname stands for, and which it may not have. */
class DomainNamesTest {

    private final DomainNames names = new DomainNames(List.of("MyServer.com.", "example.test"));

    @Test
    void aLabelIsANameUnderTheFirstDomain() {
        assertEquals("app.myserver.com", names.fullName("App"));
    }

    @Test
    void aFullNameUnderAnyDomainIsItself() {
        assertEquals("api.example.test", names.fullName("api.example.test."));
        assertEquals("a.b.myserver.com", names.fullName("A.b.myserver.com"));
    }

    @Test
    void aNameOutsideTheDomainsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> names.fullName("app.evil.test"));

        assertEquals("name app.evil.test is outside the server's domains", e.getMessage());
    }

    @Test
    void aDomainItselfIsNotAName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> names.fullName("myserver.com"));

        assertEquals("name myserver.com is outside the server's domains", e.getMessage());
    }

    @Test
    void aSuffixThatIsNotASubdomainIsOutside() {
        assertThrows(IllegalArgumentException.class, () -> names.fullName("appmyserver.com"));
    }

    @Test
    void notAHostNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> names.fullName("a_b"));

        assertEquals("'a_b' is not a host name", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> names.fullName("-a"));
        assertThrows(IllegalArgumentException.class, () -> names.fullName("a".repeat(64)));
    }

    @Test
    void withoutDomainsNoNameIsGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DomainNames(List.of()).fullName("app"));

        assertEquals("the server serves no domain (--domain)", e.getMessage());
    }

    @Test
    void aBadDomainIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DomainNames(List.of("my server.com")));

        assertEquals("'my server.com' is not a domain name", e.getMessage());
    }
}
