package rtunnel.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The middle of a graceful stop, once the server takes no new clients: lets the clients' visitors finish for
 * up to the drain period. Watched by a balancer ({@link ServerHealth#watched()}), the server already answers
 * 503 to its checks, but the balancer notices only at its next checks: until then it still sends visitors
 * here, so the public ports keep accepting them for the whole period before they close. Unwatched, the
 * public ports close at once and the drain ends as soon as no stream is open.
 */
final class ServerDrain {

    private static final Logger log = LoggerFactory.getLogger(ServerDrain.class);

    /** How often a draining shutdown looks whether the last stream has finished. */
    private static final long POLL_NANOS = 20_000_000;

    private final List<ControlSession> sessions;

    ServerDrain(List<ControlSession> sessions) {
        this.sessions = List.copyOf(sessions);
    }

    /** Runs the drain: returns when the period is over, or earlier when nothing can arrive or is open. */
    void run(Duration drain, boolean balancerWatching) {
        long deadline = System.nanoTime() + drain.toNanos();
        if (balancerWatching) {
            log.info("health checks answer 503; public ports accept visitors for {} s more", drain.toSeconds());
            while (System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Math.min(POLL_NANOS, deadline - System.nanoTime()));
            }
            sessions.forEach(ControlSession::goAway);
            return;
        }
        sessions.forEach(ControlSession::goAway);
        while (System.nanoTime() - deadline < 0 && sessions.stream().anyMatch(session -> session.openStreams() > 0)) {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
