package rtunnel.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import rtunnel.policy.PortRange;

/**
 * How a {@link TunnelServer} runs.
 *
 * @param controlAddress where clients connect (port 0 picks a free port)
 * @param ports the public ports clients may ask for
 * @param keepAlive how long the server may send nothing before it sends a keep-alive
 * @param authorizedKeys the file of keys allowed in, or null to let anyone in (as the original did)
 * @param hostKey the server's identity key file; created with a new ed25519 key if missing
 */
public record ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive,
        Path authorizedKeys, Path hostKey) {

    /** The original rtunnel's control port, kept so old habits and firewall rules still work. */
    public static final int DEFAULT_CONTROL_PORT = 19050;

    /** The original's keep-alive interval. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(2);

    public ServerSettings {
        Objects.requireNonNull(controlAddress, "controlAddress");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(hostKey, "hostKey");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keep-alive must be positive, not " + keepAlive);
        }
    }

    /** An open server (no authorized keys) with its host key in the default place. */
    public ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive) {
        this(controlAddress, ports, keepAlive, null, defaultHostKey());
    }

    /** Where the host key lives unless {@code --host-key} says otherwise: {@code ~/.rtunnel/host_ed25519_key}. */
    public static Path defaultHostKey() {
        return Path.of(System.getProperty("user.home"), ".rtunnel", "host_ed25519_key");
    }

    /** These settings with another host key file. */
    public ServerSettings withHostKey(Path file) {
        return new ServerSettings(controlAddress, ports, keepAlive, authorizedKeys, file);
    }

    /** These settings with an authorized-keys file. */
    public ServerSettings withAuthorizedKeys(Path file) {
        return new ServerSettings(controlAddress, ports, keepAlive, file, hostKey);
    }
}
