package rtunnel.server;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    /** {@code sessionsOpen}: the ssh sessions open now, authenticated or not. */
    SshStartups(ServerLimits limits, RandomGenerator random, IntSupplier sessionsOpen) {
        this.limits = limits;
        this.sessionsOpen = sessionsOpen;
        this.table = new StartupTable<>(limits.maxStartups(), limits.perSourceMaxStartups(), System::nanoTime, random);
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
        log.warn("ssh client {}: dropping its connection ({} ms without progress) to let {} in: {}",
                SshSession.describe(dropped), TimeUnit.NANOSECONDS.toMillis(verdict.idleNanos()),
                SshSession.describe(session), verdict.reason().name().toLowerCase(java.util.Locale.ROOT));
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
