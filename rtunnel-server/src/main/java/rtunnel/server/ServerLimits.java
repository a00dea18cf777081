package rtunnel.server;

import java.time.Duration;

/**
 * Limits that keep one server usable under abuse. Each has a flag.
 *
 * @param maxClients control connections at once, handshaking or not
 * @param maxPending connections still in their handshake: bounds what silent or slow peers can hold
 * @param maxTunnelsPerClient public ports one client may hold
 * @param maxStreamsPerTunnel visitors at once on one public port; more are reset on arrival
 * @param handshakeTimeout how long a connection may take to finish its handshake
 */
public record ServerLimits(int maxClients, int maxPending, int maxTunnelsPerClient, int maxStreamsPerTunnel,
        Duration handshakeTimeout) {

    /**
     * Defaults: 1,000 clients and 16,384 streams per tunnel fit in a few hundred MiB with virtual threads;
     * 128 pending handshakes absorb a reconnect storm; 64 tunnels per client is far beyond real use; 10 s
     * lets a handshake cross a slow mobile link.
     */
    public static final ServerLimits DEFAULTS = new ServerLimits(1000, 128, 64, 16_384, Duration.ofSeconds(10));

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
        positive("max pending", maxPending);
        positive("max tunnels per client", maxTunnelsPerClient);
        positive("max streams per tunnel", maxStreamsPerTunnel);
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive, not " + handshakeTimeout);
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
    }
}
