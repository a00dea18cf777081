package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rtunnel.metrics.HealthCheck.Answer;

class ServerHealthTest {

    private final PortRegistry registry = new PortRegistry();
    private final ServerHealth health = new ServerHealth(registry);

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
    void drainingTurnsEveryAnswer503AtOnce() {
        registry.claim(4000, new Holder());
        health.drain();
        assertEquals(new Answer(503, "draining"), health.check("/health"));
        assertEquals(new Answer(503, "draining"), health.check("/health/port/4000"));
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
