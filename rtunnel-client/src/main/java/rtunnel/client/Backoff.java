package rtunnel.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between reconnect attempts: 1 s doubling to 30 s, each drawn between half and all of its step
 * ("equal jitter"), so a thousand laptops cut off by one server restart do not all return in the same
 * second.
 */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MOST = Duration.ofSeconds(30);

    private final RandomGenerator random;
    private Duration step = FIRST;

    Backoff(RandomGenerator random) {
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the step up to {@link #MOST}. */
    Duration next() {
        long half = step.toMillis() / 2;
        Duration delay = Duration.ofMillis(half + random.nextLong(half + 1));
        step = step.multipliedBy(2).compareTo(MOST) > 0 ? MOST : step.multipliedBy(2);
        return delay;
    }

    /** Starts again from {@link #FIRST}, after a session that lasted. */
    void reset() {
        step = FIRST;
    }
}
