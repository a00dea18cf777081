package rtunnel.client;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one tunnel's target takes connections, so that the client says once when it starts refusing and
 * once when it works again, not once per visitor (a visitor flood on a stopped app would be a log flood).
 * Thread-safe: visitors connect on their streams' threads.
 */
final class TargetHealth {

    private final AtomicBoolean failing = new AtomicBoolean();

    /** A connection to the target failed: true only for the first failure since it last worked. */
    boolean failed() {
        return failing.compareAndSet(false, true);
    }

    /** A connection to the target worked: true only when it had been failing. */
    boolean worked() {
        return failing.get() && failing.compareAndSet(true, false);
    }
}
