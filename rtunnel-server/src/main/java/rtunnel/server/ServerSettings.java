package rtunnel.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import rtunnel.policy.PortRange;

/**
 * How a {@link TunnelServer} runs.
 *
 * @param controlAddress where clients connect (port 0 picks a free port)
 * @param ports the public ports clients may ask for
 * @param keepAlive how long the server may send nothing before it sends a keep-alive
 */
public record ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive) {

    /** The original rtunnel's control port, kept so old habits and firewall rules still work. */
    public static final int DEFAULT_CONTROL_PORT = 19050;

    /** The original's keep-alive interval. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(2);

    public ServerSettings {
        Objects.requireNonNull(controlAddress, "controlAddress");
        Objects.requireNonNull(ports, "ports");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keep-alive must be positive, not " + keepAlive);
        }
    }
}
