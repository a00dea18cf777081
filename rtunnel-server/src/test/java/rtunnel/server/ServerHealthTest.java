package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rtunnel.metrics.HealthCheck.Answer;
import rtunnel.web.DomainNames;

class ServerHealthTest {

    private final PortRegistry registry = new PortRegistry();
    private final NameRegistry names = new NameRegistry(new DomainNames(List.of("example.test", "other.test")), 80, 443);
    private final ServerHealth health = new ServerHealth(registry, () -> names);

    @Test
    void aServingServerIsHealthy() {
        assertEquals(new Answer(200, "serving"), health.check("/health"));
    }

    @Test
    void aPortIsHealthyOnlyWhileAClientHoldsIt() {
        assertEquals(new Answer(503, "no client holds port 4000"), health.check("/health/port/4000"));
        PortHolder holder = new Holder();
        registry.claim(4000, holder);
        assertEquals(new Answer(200, "port 4000 is held by a client"), health.check("/health/port/4000"));
        assertEquals(503, health.check("/health/port/4001").status());
        registry.release(4000, holder);
        assertEquals(503, health.check("/health/port/4000").status());
    }

    @Test
    void aNameIsHealthyOnlyWhileAClientHoldsIt() {
        assertEquals(new Answer(503, "no client holds name app.example.test"), health.check("/health/name/app.example.test"));
        PortHolder holder = new Holder();
        names.claim("app.example.test", owner(holder));
        assertEquals(new Answer(200, "name app.example.test is held by a client"),
                health.check("/health/name/app.example.test"));
        assertEquals(503, health.check("/health/name/web.example.test").status());
        names.release("app.example.test", holder);
        assertEquals(new Answer(503, "no client holds name app.example.test"), health.check("/health/name/app.example.test"),
                "a name whose client is away (reconnecting) gets no visitors");
    }

    @Test
    void aNameIsAskedForAsTheClientsHostnameIs() {
        names.claim("app.example.test", owner(new Holder()));
        assertEquals(200, health.check("/health/name/app").status(), "a label is under the first domain");
        assertEquals(200, health.check("/health/name/APP.Example.Test.").status(), "case and a final dot do not matter");
        assertEquals(503, health.check("/health/name/app.other.test").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health/name/", "/health/name/app.elsewhere.test", "/health/name/a_b.example.test",
        "/health/name/app.example.test/x", "/health/name/-app.example.test"})
    void aPathThatNamesNoNameOfTheServersDomainsIsUnknown(String path) {
        assertEquals(Answer.UNKNOWN, health.check(path));
        assertFalse(health.watched(), "an unknown path is not a balancer's check");
    }

    @Test
    void beforeTheWebPortsAreBoundNoNameIsKnown() {
        ServerHealth starting = new ServerHealth(registry, () -> null);
        assertEquals(Answer.UNKNOWN, starting.check("/health/name/app.example.test"));
    }

    @Test
    void drainingTurnsEveryAnswer503AtOnce() {
        registry.claim(4000, new Holder());
        names.claim("app.example.test", owner(new Holder()));
        health.drain();
        assertEquals(new Answer(503, "draining"), health.check("/health"));
        assertEquals(new Answer(503, "draining"), health.check("/health/port/4000"));
        assertEquals(new Answer(503, "draining"), health.check("/health/name/app.example.test"));
    }

    private static NameRegistry.Owner owner(PortHolder session) {
        return new NameRegistry.Owner(session, null, null, new OpenStreams(1), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health/port/", "/health/port/0", "/health/port/65536", "/health/port/99999999999999",
        "/health/port/-1", "/health/port/+80", "/health/port/4000/x", "/health/port/\u0664\u0660", "/health/x",
        "/health/"})
    void aPathThatNamesNoPortIsUnknown(String path) {
        assertEquals(Answer.UNKNOWN, health.check(path));
        assertFalse(health.watched(), "an unknown path is not a balancer's check");
    }

    @Test
    void aCheckMarksTheServerWatched() {
        assertFalse(health.watched());
        health.check("/health/port/4000");
        assertTrue(health.watched());
    }

    /** A port holder that is never asked anything here. */
    private static final class Holder implements PortHolder {
        @Override
        public String owner() {
            return "token";
        }

        @Override
        public String client() {
            return "127.0.0.1:1";
        }

        @Override
        public boolean answersWithin(Duration wait) {
            return true;
        }

        @Override
        public void end(String reason) {
        }
    }
}
