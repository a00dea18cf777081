package rtunnel.server;

import java.time.Duration;

/**
 * Limits that keep one server usable under abuse. Each has a flag.
 *
 * @param maxClients control connections at once, handshaking or not
 * @param maxStartups handshakes under way, as sshd's MaxStartups: from START on, a new connection makes a
 *     drop at random, and always at FULL (see {@link StartupTable} for which handshake is dropped)
 * @param perSourceMaxStartups handshakes under way from one source address (IPv6: one /64)
 * @param maxTunnelsPerClient public ports one client may hold
 * @param maxStreamsPerTunnel visitors at once on one public port; more are reset on arrival
 * @param handshakeTimeout how long a connection may take to finish its handshake
 */
public record ServerLimits(int maxClients, MaxStartups maxStartups, int perSourceMaxStartups,
        int maxTunnelsPerClient, int maxStreamsPerTunnel, Duration handshakeTimeout) {

    /**
     * Handshakes under way by default, 200:30:500, for a server of up to 1,000 clients that all reconnect
     * when it restarts. Their backoff (1 s doubling, each delay drawn from half to all of its step) spreads
     * them over a second or more, and a handshake is under way for one round trip of the client plus about
     * a millisecond of the server's work. So 1,000 clients with round trips up to 200 ms have at most about
     * 200 handshakes under way: START 200 drops none of them on a warm server. Beyond it, drops shed the
     * load of a cold one, and the clients dropped come back after their backoff. FULL 500 bounds what
     * half-open connections hold: measured, 43 KiB of heap each, 200 KiB resident with its platform thread
     * on Java 17 and 67 KiB on Java 25, so 100 MB and 33 MB for 500; RATE 30 is sshd's.
     */
    public static final MaxStartups DEFAULT_MAX_STARTUPS = new MaxStartups(200, 30, 500);

    /**
     * Handshakes under way from one source by default: 20, a tenth of START, so one address alone can never
     * make the server drop another address's handshake, even at random. Twenty at once from one address is
     * a hundred handshakes a second at 200 ms each: room for an office of clients behind one NAT address
     * coming back after a restart, whose surplus is dropped among its own and retried.
     */
    public static final int DEFAULT_PER_SOURCE_MAX_STARTUPS = 20;

    /**
     * Defaults: 1,000 clients and 16,384 streams per tunnel fit in a few hundred MiB with virtual threads;
     * the startup limits above; 64 tunnels per client is far beyond real use; 10 s lets a handshake cross
     * a slow mobile link.
     */
    public static final ServerLimits DEFAULTS = new ServerLimits(1000, DEFAULT_MAX_STARTUPS,
            DEFAULT_PER_SOURCE_MAX_STARTUPS, 64, 16_384, Duration.ofSeconds(10));

    /**
     * Visitors per public port where each stream costs two platform threads (Java 17-20): 6,144 streams are
     * 12,288 threads, within {@link rtunnel.relay.SocketThreads#MAX_PLATFORM_THREADS} with room for a second
     * busy tunnel's share, and far from the machine's ~32,768 threads. With virtual threads, 16,384.
     */
    public static final int PLATFORM_THREAD_STREAMS_PER_TUNNEL = 6_144;

    /** The default visitors per public port for a runtime with or without virtual threads. */
    public static int defaultStreamsPerTunnel(boolean virtualThreads) {
        return virtualThreads ? DEFAULTS.maxStreamsPerTunnel() : PLATFORM_THREAD_STREAMS_PER_TUNNEL;
    }

    public ServerLimits {
        positive("max clients", maxClients);
        positive("per-source max startups", perSourceMaxStartups);
        positive("max tunnels per client", maxTunnelsPerClient);
        positive("max streams per tunnel", maxStreamsPerTunnel);
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive, not " + handshakeTimeout);
        }
    }

    /** These limits with other startup limits. */
    public ServerLimits withStartups(MaxStartups startups, int perSource) {
        return new ServerLimits(maxClients, startups, perSource, maxTunnelsPerClient, maxStreamsPerTunnel,
                handshakeTimeout);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
    }
}
