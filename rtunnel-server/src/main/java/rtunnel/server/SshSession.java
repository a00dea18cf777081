package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.AuthorizedKey;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.SshPublicKey;
import rtunnel.policy.ListenPolicy;
import rtunnel.policy.NamePolicy;
import rtunnel.policy.PortRange;
import rtunnel.protocol.RefusedException;
import rtunnel.relay.Timer;

/** One ssh client on the gateway as the rest of the server sees it: who it is, and how to probe or end it. */
final class SshSession implements PortHolder {

    private static final Logger log = LoggerFactory.getLogger(SshSession.class);

    /** Where each MINA session keeps its {@code SshSession}. */
    static final AttributeKey<SshSession> KEY = new AttributeKey<>();

    /**
     * The probe a live-session check sends: OpenSSH answers any global request it does not know (with a
     * failure), and this is the name its own keep-alive uses.
     */
    private static final String PROBE = "keepalive@openssh.com";

    private final ServerSession session;
    private final String client;
    private final AtomicReference<String> endReason = new AtomicReference<>();
    private volatile SshPublicKey key;
    private volatile AuthorizedKey entry;
    private volatile SshForwarder forwarder;
    private volatile ScheduledFuture<?> keepAlive;
    /** When the client last answered a keep-alive ({@link System#nanoTime}). */
    private volatile long lastAnswer;

    SshSession(ServerSession session) {
        this.session = session;
        this.client = describe(session);
    }

    /** The address of {@code session}'s client, {@code host:port}, as the logs show clients. */
    static String describe(Session session) {
        InetSocketAddress remote = (InetSocketAddress) session.getRemoteAddress();
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    /** The {@code SshSession} of {@code session}, made on first use. */
    static SshSession of(ServerSession session) {
        return session.computeAttributeIfAbsent(KEY, k -> new SshSession(session));
    }

    @Override
    public String client() {
        return client;
    }

    /** The key it signed in with, as its fingerprint, for ports and takeover. */
    @Override
    public String owner() {
        SshPublicKey signedIn = key;
        return signedIn == null ? "unauthenticated ssh " + client : "key " + signedIn.fingerprint();
    }

    /** Its key, once accepted, and the authorized-keys line that let it in (null on an open server). */
    void authenticated(SshPublicKey accepted, AuthorizedKey line) {
        key = accepted;
        entry = line;
    }

    SshPublicKey key() {
        return key;
    }

    /** Which ports it may ask for: the server's range narrowed by its line's {@code permitlisten}. */
    ListenPolicy policy(PortRange serverRange) {
        AuthorizedKey line = entry;
        return new ListenPolicy(serverRange, line == null ? List.of() : line.permitListen());
    }

    /** Which host names it may ask for: its line's {@code permithostname} (any name on an open server). */
    NamePolicy namePolicy() {
        AuthorizedKey line = entry;
        return line == null ? NamePolicy.ANY : line.namePolicy();
    }

    void forwardsThrough(SshForwarder ports) {
        forwarder = ports;
    }

    /** Why it ended, or null while it lasts. */
    String endReason() {
        return endReason.get();
    }

    /**
     * Asks the client for an answer every {@code interval}, as the rtunnel side PINGs, and ends the session
     * when no answer has come for {@code deadAfter}: a frozen or vanished client frees its ports.
     */
    void keepAliveEvery(Duration interval, Duration deadAfter, Timer timer) {
        lastAnswer = System.nanoTime();
        keepAlive = timer.every(interval, () -> {
            if (!session.isOpen()) {
                keepAlive.cancel(false);
                return;
            }
            long silentNanos = System.nanoTime() - lastAnswer;
            if (silentNanos > deadAfter.toNanos()) {
                log.warn("ssh client {}: no answer for {} ms; releasing its ports", client,
                        TimeUnit.NANOSECONDS.toMillis(silentNanos));
                end("no answer to keep-alives for " + deadAfter.toSeconds() + " s");
                return;
            }
            try {
                probe(() -> lastAnswer = System.nanoTime());
            } catch (IOException e) {
                log.debug("ssh client {}: keep-alive failed: {}", client, e.getMessage());
            }
        });
    }

    /** The session is closed: stops the keep-alive and releases its ports (before it is reported gone). */
    void closed(String reason) {
        ScheduledFuture<?> task = keepAlive;
        if (task != null) {
            task.cancel(false);
        }
        SshForwarder ports = forwarder;
        if (ports != null) {
            ports.releaseAll(reason);
        }
    }

    private void probe(Runnable onAnswer) throws IOException {
        Buffer probe = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, PROBE.length() + Long.BYTES);
        probe.putString(PROBE);
        probe.putBoolean(true);
        session.request(probe, PROBE, (command, reply) -> onAnswer.run());
    }

    @Override
    public boolean answersWithin(Duration wait) {
        if (!session.isOpen()) {
            return false;
        }
        CountDownLatch answered = new CountDownLatch(1);
        try {
            probe(answered::countDown);
            return answered.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            log.debug("ssh client {}: keep-alive probe failed: {}", client, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the session if its key is no longer admitted (removed from or revoked in the authorized keys). */
    void recheck(ClientAdmission admission) {
        SshPublicKey signedIn = key;
        if (signedIn == null || !session.isOpen()) {
            return;
        }
        try {
            admission.admit(signedIn);
        } catch (RefusedException e) {
            log.warn("ssh client {}: closing: {}", client, e.reason());
            end("key no longer admitted: " + e.reason());
        }
    }

    /** Releases its ports at once (a takeover binds them next), then closes the connection. */
    @Override
    public void end(String reason) {
        endReason.compareAndSet(null, reason);
        SshForwarder ports = forwarder;
        if (ports != null) {
            ports.releaseAll(endReason.get());
        }
        session.close(true);
    }
}
