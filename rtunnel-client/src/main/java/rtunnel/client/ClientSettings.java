package rtunnel.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import rtunnel.auth.ClientIdentity;
import rtunnel.auth.ProtectionMode;
import rtunnel.protocol.HostPort;

/**
 * How a {@link TunnelClient} runs.
 *
 * @param servers the servers' control addresses, tried in turn (see {@link ServerRotation}); at least one
 * @param tunnels the tunnels to ask for, at least one
 * @param timeout how long the client waits to connect, and how long a silent link may last
 * @param identities the client's keys, offered in turn until the server accepts one; empty to connect
 *     without a key
 * @param serverFingerprints the {@code SHA256:} fingerprints a server's host key must have one of; empty
 *     accepts any server
 * @param maxRetries reconnect attempts in a row before giving up; {@link #FOREVER} never gives up, 0 never
 *     reconnects
 * @param protections the frame protections to offer, best first
 * @param knownHosts the known_hosts file that remembers each server's host key (trust on first use) when no
 *     fingerprint is pinned; null to remember nothing, and then an unpinned client accepts any host key
 * @param maxBackoff the longest wait between reconnect attempts
 */
public record ClientSettings(List<HostPort> servers, List<TunnelSpec> tunnels, Duration timeout,
        List<ClientIdentity> identities, List<String> serverFingerprints, int maxRetries,
        List<ProtectionMode> protections, Path knownHosts, Duration maxBackoff) {

    /**
     * The longest wait between reconnects: after a server restart of any length the tunnel is back within
     * 10 s of the server, while a thousand clients still spread over 5-10 s (each wait is drawn between half
     * and all of its step).
     */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    /** {@link #maxRetries} that never gives up: the default, for a laptop on a flaky link. */
    public static final int FOREVER = -1;

    /** The original's timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public ClientSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server address (-c) is needed");
        }
        tunnels = List.copyOf(tunnels);
        if (tunnels.isEmpty()) {
            throw new IllegalArgumentException("at least one tunnel (-f and -t) is needed");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        identities = List.copyOf(identities);
        serverFingerprints = List.copyOf(serverFingerprints);
        protections = List.copyOf(protections);
        if (protections.isEmpty()) {
            throw new IllegalArgumentException("at least one frame protection is needed");
        }
        if (maxRetries < FOREVER) {
            throw new IllegalArgumentException("max retries must be 0 or more, not " + maxRetries);
        }
        if (maxBackoff.compareTo(Backoff.FIRST) < 0) {
            throw new IllegalArgumentException("max backoff must be at least " + Backoff.FIRST.toSeconds()
                    + " s, not " + maxBackoff);
        }
    }

    /** Settings that remember no host key (see {@link #withKnownHosts}). */
    public ClientSettings(List<HostPort> servers, List<TunnelSpec> tunnels, Duration timeout, ClientIdentity identity,
            List<String> serverFingerprints, int maxRetries, List<ProtectionMode> protections) {
        this(servers, tunnels, timeout, identity == null ? List.of() : List.of(identity), serverFingerprints,
                maxRetries, protections, null, DEFAULT_MAX_BACKOFF);
    }

    /** Where the client remembers host keys unless {@code --known-hosts} says otherwise. */
    public static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".rtunnel", "known_hosts");
    }

    /** A client of one server, without a key, that accepts any server key. */
    public ClientSettings(HostPort server, List<TunnelSpec> tunnels, Duration timeout) {
        this(List.of(server), tunnels, timeout, null, List.of(), FOREVER, ProtectionMode.DEFAULT);
    }

    /** These settings with a key (null: none). */
    public ClientSettings withIdentity(ClientIdentity key) {
        return withIdentities(key == null ? List.of() : List.of(key));
    }

    /** These settings with {@code keys}, offered in this order. */
    public ClientSettings withIdentities(List<ClientIdentity> keys) {
        return new ClientSettings(servers, tunnels, timeout, keys, serverFingerprints, maxRetries, protections,
                knownHosts, maxBackoff);
    }

    /** These settings going through {@code addresses} in turn instead. */
    public ClientSettings withServers(List<HostPort> addresses) {
        return new ClientSettings(addresses, tunnels, timeout, identities, serverFingerprints, maxRetries,
                protections, knownHosts, maxBackoff);
    }

    /** These settings pinned to one server key. */
    public ClientSettings withServerFingerprint(String fingerprint) {
        return withServerFingerprints(List.of(fingerprint));
    }

    /** These settings accepting only servers whose key has one of {@code fingerprints} (any when empty). */
    public ClientSettings withServerFingerprints(List<String> fingerprints) {
        return new ClientSettings(servers, tunnels, timeout, identities, fingerprints, maxRetries, protections,
                knownHosts, maxBackoff);
    }

    /** These settings with another retry limit ({@link #FOREVER}, or 0 for none). */
    public ClientSettings withMaxRetries(int retries) {
        return new ClientSettings(servers, tunnels, timeout, identities, serverFingerprints, retries, protections,
                knownHosts, maxBackoff);
    }

    /** These settings remembering host keys in {@code file} (null: in no file). */
    public ClientSettings withKnownHosts(Path file) {
        return new ClientSettings(servers, tunnels, timeout, identities, serverFingerprints, maxRetries, protections,
                file, maxBackoff);
    }

    /** These settings offering only {@code modes}. */
    public ClientSettings withProtections(List<ProtectionMode> modes) {
        return new ClientSettings(servers, tunnels, timeout, identities, serverFingerprints, maxRetries, modes,
                knownHosts, maxBackoff);
    }

    /** These settings waiting at most {@code most} between reconnects. */
    public ClientSettings withMaxBackoff(Duration most) {
        return new ClientSettings(servers, tunnels, timeout, identities, serverFingerprints, maxRetries, protections,
                knownHosts, most);
    }
}
