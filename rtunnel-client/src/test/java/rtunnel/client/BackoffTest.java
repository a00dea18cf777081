package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The waits between reconnects: doubling, jittered, never past the most the user allows. */
class BackoffTest {

    @Test
    void eachWaitIsBetweenHalfAndAllOfAStepThatDoublesUpToTheMost() {
        Backoff backoff = new Backoff(new Random(3), Duration.ofSeconds(10));
        long[] steps = {1000, 2000, 4000, 8000, 10000, 10000, 10000};
        for (long step : steps) {
            long wait = backoff.next().toMillis();
            assertTrue(wait >= step / 2 && wait <= step, wait + " ms for a step of " + step);
        }
    }

    @Test
    void aLastingSessionStartsTheStepsAgain() {
        Backoff backoff = new Backoff(new Random(3), Duration.ofSeconds(60));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 1000);
    }

    @Test
    void theDefaultMostIsTenSeconds() {
        assertEquals(Duration.ofSeconds(10), ClientSettings.DEFAULT_MAX_BACKOFF);
        assertEquals(Duration.ofSeconds(10), new ClientSettings(new rtunnel.protocol.HostPort("s", 1),
                RunningTunnel.specs(3000), Duration.ofSeconds(5)).maxBackoff());
    }
}
