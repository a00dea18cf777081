package rtunnel.server;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import rtunnel.auth.HandshakeProgress.Step;

/**
 * The handshakes under way on the control port, and which one to drop when a new connection makes one too
 * many: by sshd's {@code MaxStartups} (random early drop) and {@code PerSourceMaxStartups}, except that the
 * handshake dropped is the one that has made the least progress for the longest, the newcomer included.
 * Pure: no sockets; the clock and the random numbers are given. Not thread-safe.
 *
 * @param <T> the handle of a handshake, by identity
 */
final class StartupTable<T> {

    /**
     * How long a step counts as progress. A real client takes each step within a round trip and a
     * signature: milliseconds, a second on a congested mobile link. A handshake that has not moved on for
     * this long is stalled, and counts as having made no progress, so one that sent CLIENT_HELLO and stopped
     * loses to a newcomer.
     */
    static final long PROGRESS_COUNTS_NANOS = 1_000_000_000L;

    /** Why a drop was due. */
    enum Reason {
        /** The newcomer's source already has {@code --per-source-max-startups} handshakes under way. */
        PER_SOURCE,
        /** {@code --max-clients} connections are open, handshaking ones included. */
        MAX_CLIENTS,
        /** FULL handshakes are under way. */
        MAX_STARTUPS,
        /** Between START and FULL, the dice said so. */
        RANDOM_EARLY_DROP
    }

    /**
     * What {@link #admit} decided: nobody dropped ({@code reason} null), the newcomer refused, or another
     * handshake dropped to make room for it. {@code underWay} counts the handshakes before the newcomer;
     * {@code step} and {@code idleNanos} say how far the dropped one had got, and how long ago.
     */
    record Verdict<T>(T dropped, Reason reason, int underWay, Step step, long idleNanos) {
    }

    private record Entry(String source, Step step, long lastProgress) {
    }

    private final MaxStartups limits;
    private final int perSource;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final Map<T, Entry> entries = new IdentityHashMap<>();
    private final Map<String, Integer> fromSource = new HashMap<>();

    /** {@code clock} gives nanoseconds as {@link System#nanoTime} does. */
    StartupTable(MaxStartups limits, int perSource, LongSupplier clock, RandomGenerator random) {
        if (perSource < 1) {
            throw new IllegalArgumentException("per-source max startups must be at least 1, not " + perSource);
        }
        this.limits = limits;
        this.perSource = perSource;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A new connection from {@code source} arrives while {@code serverFull} says no more connections fit.
     * Unless it is refused, it is added; whoever is dropped instead is removed.
     */
    Verdict<T> admit(T newcomer, String source, boolean serverFull) {
        long now = clock.getAsLong();
        int underWay = entries.size();
        int percent = limits.dropPercent(underWay);
        Reason reason = fromSource.getOrDefault(source, 0) >= perSource ? Reason.PER_SOURCE
                : serverFull ? Reason.MAX_CLIENTS
                : underWay >= limits.full() ? Reason.MAX_STARTUPS
                : percent > 0 && random.nextInt(100) < percent ? Reason.RANDOM_EARLY_DROP
                : null;
        Entry arriving = new Entry(source, Step.CONNECTED, now);
        T dropped = null;
        Entry victim = arriving;
        if (reason != null) {
            dropped = newcomer;
            for (Map.Entry<T, Entry> each : entries.entrySet()) {
                Entry candidate = each.getValue();
                if ((reason != Reason.PER_SOURCE || candidate.source().equals(source))
                        && before(candidate, victim, now)) {
                    dropped = each.getKey();
                    victim = candidate;
                }
            }
        }
        if (dropped != newcomer) {
            remove(dropped);
            entries.put(newcomer, arriving);
            fromSource.merge(source, 1, Integer::sum);
        }
        return new Verdict<>(dropped, reason, underWay, victim.step(), now - victim.lastProgress());
    }

    /**
     * Whether {@code a} is to be dropped before {@code b}: less progress first, then the longer without any.
     * Progress older than {@link #PROGRESS_COUNTS_NANOS} does not count. On a tie {@code b} stays first, so
     * the newcomer, which is compared first, is dropped when nobody is worse.
     */
    private static boolean before(Entry a, Entry b, long now) {
        int progressA = progress(a, now);
        int progressB = progress(b, now);
        if (progressA != progressB) {
            return progressA < progressB;
        }
        return now - a.lastProgress() > now - b.lastProgress();
    }

    private static int progress(Entry entry, long now) {
        return now - entry.lastProgress() >= PROGRESS_COUNTS_NANOS ? 0 : entry.step().ordinal();
    }

    /** The handshake of {@code handshake} reached {@code step}; ignored when it is no longer here. */
    void progressed(T handshake, Step step) {
        entries.computeIfPresent(handshake, (key, entry) -> new Entry(entry.source(), step, clock.getAsLong()));
    }

    /** The handshake ended, however; ignored when it is no longer here. */
    void remove(T handshake) {
        Entry entry = handshake == null ? null : entries.remove(handshake);
        if (entry != null) {
            fromSource.computeIfPresent(entry.source(), (source, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Handshakes under way. */
    int size() {
        return entries.size();
    }

    /** Handshakes under way from {@code source}. */
    int fromSource(String source) {
        return fromSource.getOrDefault(source, 0);
    }
}
