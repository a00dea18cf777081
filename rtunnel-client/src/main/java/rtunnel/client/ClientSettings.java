package rtunnel.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import rtunnel.protocol.HostPort;

/**
 * How a {@link TunnelClient} runs.
 *
 * @param server the server's control address
 * @param tunnels the tunnels to ask for, at least one
 * @param timeout how long the client waits to connect, and how long a silent link may last
 */
public record ClientSettings(HostPort server, List<TunnelSpec> tunnels, Duration timeout) {

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
    }
}
