package rtunnel.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between reconnect attempts: 1 s doubling to a most (10 s unless {@code --max-backoff} says), each drawn between half and all of its step
 * ("equal jitter"), so a thousand laptops cut off by one server restart do not all return in the same
 * second.
 */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);

    private final RandomGenerator random;
    private final Duration most;
    private Duration step = FIRST;

    /** Steps from {@link #FIRST} doubling up to {@code most}. */
    Backoff(RandomGenerator random, Duration most) {
        this.random = random;
        this.most = most;
    }

    /** The delay before the next attempt; each call doubles the step up to the most. */
    Duration next() {
        long half = step.toMillis() / 2;
        Duration delay = Duration.ofMillis(half + random.nextLong(half + 1));
        step = step.multipliedBy(2).compareTo(most) > 0 ? most : step.multipliedBy(2);
        return delay;
    }

    /** Starts again from {@link #FIRST}, after a session that lasted. */
    void reset() {
        step = FIRST;
    }
}
