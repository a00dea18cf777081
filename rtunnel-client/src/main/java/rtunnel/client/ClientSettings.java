package rtunnel.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import rtunnel.auth.ClientIdentity;
import rtunnel.auth.ProtectionMode;
import rtunnel.protocol.HostPort;

/**
 * How a {@link TunnelClient} runs.
 *
 * @param server the server's control address
 * @param tunnels the tunnels to ask for, at least one
 * @param timeout how long the client waits to connect, and how long a silent link may last
 * @param identity the client's key, or null to connect without one
 * @param serverFingerprint the server host key's {@code SHA256:} fingerprint to insist on, or null
 * @param maxRetries reconnect attempts in a row before giving up; {@link #FOREVER} never gives up, 0 never
 *     reconnects
 * @param protections the frame protections to offer, best first
 */
public record ClientSettings(HostPort server, List<TunnelSpec> tunnels, Duration timeout, ClientIdentity identity,
        String serverFingerprint, int maxRetries, List<ProtectionMode> protections) {

    /** {@link #maxRetries} that never gives up: the default, for a laptop on a flaky link. */
    public static final int FOREVER = -1;

    /** The original's timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public ClientSettings {
        Objects.requireNonNull(server, "server");
        tunnels = List.copyOf(tunnels);
        if (tunnels.isEmpty()) {
            throw new IllegalArgumentException("at least one tunnel (-f and -t) is needed");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        protections = List.copyOf(protections);
        if (protections.isEmpty()) {
            throw new IllegalArgumentException("at least one frame protection is needed");
        }
        if (maxRetries < FOREVER) {
            throw new IllegalArgumentException("max retries must be 0 or more, not " + maxRetries);
        }
    }

    /** A client without a key that accepts any server key. */
    public ClientSettings(HostPort server, List<TunnelSpec> tunnels, Duration timeout) {
        this(server, tunnels, timeout, null, null, FOREVER, ProtectionMode.DEFAULT);
    }

    /** These settings with a key. */
    public ClientSettings withIdentity(ClientIdentity key) {
        return new ClientSettings(server, tunnels, timeout, key, serverFingerprint, maxRetries, protections);
    }

    /** These settings pinned to one server key. */
    public ClientSettings withServerFingerprint(String fingerprint) {
        return new ClientSettings(server, tunnels, timeout, identity, fingerprint, maxRetries, protections);
    }

    /** These settings with another retry limit ({@link #FOREVER}, or 0 for none). */
    public ClientSettings withMaxRetries(int retries) {
        return new ClientSettings(server, tunnels, timeout, identity, serverFingerprint, retries, protections);
    }

    /** These settings offering only {@code modes}. */
    public ClientSettings withProtections(List<ProtectionMode> modes) {
        return new ClientSettings(server, tunnels, timeout, identity, serverFingerprint, maxRetries, modes);
    }
}
