package rtunnel.server;

import java.io.IOException;
import java.net.Socket;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.HandshakeProgress.Step;
import rtunnel.metrics.Counter;
import rtunnel.metrics.Metrics;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.SessionError;
import rtunnel.server.StartupTable.Reason;
import rtunnel.server.StartupTable.Verdict;

/**
 * The door of the control port: counts the handshakes under way, and when a new connection makes one too
 * many (by {@link ServerLimits}), drops the one {@link StartupTable} picks: an older one, whose connection
 * it closes, or the newcomer, which it turns away with a reason the client prints (and retries after).
 */
final class ClientGate {

    private static final Logger log = LoggerFactory.getLogger(ClientGate.class);

    private final ServerLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final StartupTable<Startup> table;
    private final Counter turnedAway;
    private final Map<Reason, Counter> drops = new EnumMap<>(Reason.class);
    private final ServerEvents events;

    /** {@code events} hears of every connection turned away, and every handshake dropped. */
    ClientGate(ServerLimits limits, Metrics metrics, ServerEvents events, RandomGenerator random) {
        this(limits, metrics, events, random, System::nanoTime);
    }

    /** A gate on the clock {@code clock} (nanoseconds, as {@link System#nanoTime}). */
    ClientGate(ServerLimits limits, Metrics metrics, ServerEvents events, RandomGenerator random, LongSupplier clock) {
        this.limits = limits;
        this.events = events;
        this.table = new StartupTable<>(limits.maxStartups(), limits.perSourceMaxStartups(), clock, random);
        this.turnedAway = metrics.counter("rtunnel_server_refusals_total", "Requests and clients refused, by reason.",
                "reason", "limit");
        for (Reason reason : Reason.values()) {
            drops.put(reason, metrics.counter("rtunnel_server_handshakes_dropped_total",
                    "Handshakes dropped, the newcomer's or an older one, by the limit that made room.",
                    "reason", reason.name().toLowerCase(Locale.ROOT)));
        }
        metrics.gauge("rtunnel_server_handshakes", "Control connections in their handshake.", this::underWay);
    }

    /**
     * Admits a connection when {@code clients} control connections are open: returns its handshake, to be
     * told of its progress and its end, or null when the connection was turned away.
     */
    Startup admit(Socket connection, int clients) {
        Startup newcomer = new Startup(this, connection);
        Verdict<Startup> verdict;
        lock.lock();
        try {
            verdict = table.admit(newcomer, SourceBlock.of(connection.getInetAddress()),
                    clients >= limits.maxClients());
        } finally {
            lock.unlock();
        }
        if (verdict.reason() == null) {
            return newcomer;
        }
        drops.get(verdict.reason()).increment();
        String why = describe(verdict, connection);
        if (verdict.dropped() == newcomer) {
            turnedAway.increment();
            turnAway(connection, why);
            events.clientRefused(newcomer.client(), Refusal.LIMIT, why);
            return null;
        }
        log.warn("client {}: dropping its handshake ({}, no progress for {} ms) to let {} in: {}",
                verdict.dropped().client(), describe(verdict.step()),
                TimeUnit.NANOSECONDS.toMillis(verdict.idleNanos()), newcomer.client(), why);
        verdict.dropped().drop("handshake dropped: " + why);
        events.clientRefused(verdict.dropped().client(), Refusal.LIMIT, "handshake dropped to let "
                + newcomer.client() + " in: " + why);
        return newcomer;
    }

    void progressed(Startup startup, Step step) {
        lock.lock();
        try {
            table.progressed(startup, step);
        } finally {
            lock.unlock();
        }
    }

    void ended(Startup startup) {
        lock.lock();
        try {
            table.remove(startup);
        } finally {
            lock.unlock();
        }
    }

    /** Handshakes under way now. */
    long underWay() {
        lock.lock();
        try {
            return table.size();
        } finally {
            lock.unlock();
        }
    }

    /** The reason the client prints: the limit reached, with its value. */
    private String describe(Verdict<Startup> verdict, Socket connection) {
        MaxStartups startups = limits.maxStartups();
        return switch (verdict.reason()) {
            case PER_SOURCE -> "too many handshakes under way from " + SourceBlock.of(connection.getInetAddress())
                    + " (" + limits.perSourceMaxStartups() + ")";
            case MAX_CLIENTS -> "server is full (" + limits.maxClients() + " clients)";
            case MAX_STARTUPS -> "too many handshakes under way (" + startups.full() + ")";
            case RANDOM_EARLY_DROP -> "too many handshakes under way (" + verdict.underWay()
                    + ", dropping some from " + startups.start() + ")";
        };
    }

    private static String describe(Step step) {
        return switch (step) {
            case CONNECTED -> "connected";
            case HELLO -> "sent CLIENT_HELLO";
            case AUTH -> "sent AUTH";
        };
    }

    /** Says why in a frame the client prints, without reading anything from it, and closes. */
    private static void turnAway(Socket connection, String reason) {
        log.warn("turning away {}: {}", connection.getRemoteSocketAddress(), reason);
        try (connection) {
            FrameWriter writer = new FrameWriter(connection.getOutputStream());
            writer.writePreamble();
            writer.write(new SessionError(Refusal.LIMIT, reason).toFrame());
            writer.flush();
        } catch (IOException e) {
            log.debug("could not tell {} why: {}", connection.getRemoteSocketAddress(), e.getMessage());
        }
    }
}
