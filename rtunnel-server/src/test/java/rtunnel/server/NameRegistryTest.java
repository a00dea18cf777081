package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import rtunnel.web.DomainNames;

/** Who owns a name, who is away, and that what is remembered of names gone away is bounded. */
class NameRegistryTest {

    private final NameRegistry names = new NameRegistry(new DomainNames(List.of("example.test")), 80, 443);

    @Test
    void aNameIsAwayWhenItsSessionEndsAndAnotherSessionsClaimWaitsForThat() {
        Session alice = new Session();
        Session bob = new Session();
        assertTrue(names.claim("app.example.test", owner(alice)));

        assertFalse(names.claim("app.example.test", owner(bob)), "alice holds it");
        names.release("app.example.test", bob);
        assertSame(alice, names.holder("app.example.test"), "bob cannot release alice's name");
        names.release("app.example.test", alice);

        assertTrue(NameRegistry.isAway(names.owner("app.example.test")));
        assertTrue(names.claim("app.example.test", owner(bob)));
        assertEquals(1, names.held());
    }

    @Test
    void theOldestAwayNamesAreForgottenPastTheLimit() {
        Session leaving = new Session();
        for (int i = 0; i <= NameRegistry.MAX_AWAY_NAMES; i++) {
            names.claim("n" + i + ".example.test", owner(leaving));
            names.release("n" + i + ".example.test", leaving);
        }

        assertNull(names.owner("n0.example.test"), "the oldest is forgotten: its visitors get 404");
        assertTrue(NameRegistry.isAway(names.owner("n1.example.test")));
        assertTrue(NameRegistry.isAway(names.owner("n" + NameRegistry.MAX_AWAY_NAMES + ".example.test")));
        assertEquals(0, names.held());
    }

    private static NameRegistry.Owner owner(PortHolder session) {
        return new NameRegistry.Owner(session, null, null, new OpenStreams(1), null);
    }

    /** A session that is always someone else and never answers. */
    private static final class Session implements PortHolder {
        @Override
        public String owner() {
            return "token " + System.identityHashCode(this);
        }

        @Override
        public String client() {
            return "127.0.0.1:1";
        }

        @Override
        public boolean answersWithin(Duration wait) {
            return false;
        }

        @Override
        public void end(String reason) {
        }
    }
}
