package rtunnel.client;

import rtunnel.protocol.HostPort;

/** What a running client reports to whoever started it (the command prints these lines). */
public interface ClientEvents {

    /** The server listens for {@code spec} at {@code bound} (its port is the real one when 0 was asked). */
    void tunnelUp(TunnelSpec spec, HostPort bound);

    /** The session ended for {@code reason}; the client waits {@code delay} before attempt {@code attempt}. */
    default void reconnecting(int attempt, java.time.Duration delay, String reason) {
    }

    /** The server proved it holds the key with this {@code SHA256:} fingerprint. */
    default void serverIdentified(HostPort server, String fingerprint) {
    }
}
