package rtunnel.server;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.Metrics;
import rtunnel.auth.HandshakeProgress.Step;
import rtunnel.server.StartupTable.Verdict;

/**
 * The ssh gateway's door, as {@link ClientGate} is the control port's: counts the ssh connections not yet
 * authenticated, by the same {@code --max-startups}, {@code --per-source-max-startups} and
 * {@code --max-clients}, and closes the one {@link StartupTable} picks when a newcomer makes one too many.
 * MINA's auth timeout ({@code --handshake-timeout}) ends the rest.
 */
final class SshStartups implements SessionListener {

    private static final Logger log = LoggerFactory.getLogger(SshStartups.class);

    private final ServerLimits limits;
    private final IntSupplier sessionsOpen;
    private final ReentrantLock lock = new ReentrantLock();
    private final StartupTable<Session> table;
    private final Metrics metrics;

    /** {@code sessionsOpen}: the ssh sessions open now, authenticated or not. */
    SshStartups(ServerLimits limits, RandomGenerator random, IntSupplier sessionsOpen, Metrics metrics) {
        this.limits = limits;
        this.sessionsOpen = sessionsOpen;
        this.metrics = metrics;
        this.table = new StartupTable<>(limits.maxStartups(), limits.perSourceMaxStartups(), System::nanoTime, random);
        metrics.gauge("rtunnel_server_ssh_handshakes", "ssh connections not yet authenticated.", this::underWay);
    }

    private long underWay() {
        lock.lock();
        try {
            return table.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sessionCreated(Session session) {
        InetSocketAddress remote = (InetSocketAddress) session.getRemoteAddress();
        Verdict<Session> verdict;
        lock.lock();
        try {
            verdict = table.admit(session, SourceBlock.of(remote.getAddress()),
                    sessionsOpen.getAsInt() > limits.maxClients());
        } finally {
            lock.unlock();
        }
        if (verdict.reason() == null) {
            return;
        }
        Session dropped = verdict.dropped();
        String reason = verdict.reason().name().toLowerCase(Locale.ROOT);
        metrics.counter("rtunnel_server_ssh_handshakes_dropped_total",
                "ssh connections dropped before authentication, by the limit that made room.", "reason", reason)
                .increment();
        log.warn("ssh client {}: dropping its connection ({} ms without progress) to let {} in: {}",
                SshSession.describe(dropped), TimeUnit.NANOSECONDS.toMillis(verdict.idleNanos()),
                SshSession.describe(session), reason);
        dropped.close(true);
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.KeyEstablished) {
            progressed(session, Step.HELLO);
        } else if (event == Event.Authenticated) {
            ended(session);
        }
    }

    @Override
    public void sessionClosed(Session session) {
        ended(session);
    }

    private void progressed(Session session, Step step) {
        lock.lock();
        try {
            table.progressed(session, step);
        } finally {
            lock.unlock();
        }
    }

    private void ended(Session session) {
        lock.lock();
        try {
            table.remove(session);
        } finally {
            lock.unlock();
        }
    }
}
