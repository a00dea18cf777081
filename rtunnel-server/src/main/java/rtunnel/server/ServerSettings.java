package rtunnel.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import rtunnel.auth.ProtectionMode;
import rtunnel.policy.PortRange;

/**
 * How a {@link TunnelServer} runs.
 *
 * @param controlAddress where clients connect (port 0 picks a free port)
 * @param ports the public ports clients may ask for
 * @param keepAlive how long the server may send nothing before it sends a keep-alive
 * @param authorizedKeys the file of keys allowed in, or null to let anyone in (as the original did)
 * @param hostKey the server's identity key file; created with a new ed25519 key if missing
 * @param limits limits against abuse
 * @param protections the frame protections the server agrees to (the client's preference picks one)
 * @param publicBind the addresses clients may listen on (empty: any; a client asking for all interfaces
 *     gets the first)
 * @param visitors the shared HTTP/HTTPS ports where tunnels are reached by host name, and who may visit
 */
public record ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive,
        Path authorizedKeys, Path hostKey, ServerLimits limits, List<ProtectionMode> protections,
        List<InetAddress> publicBind, VisitorSettings visitors) {

    /** The original rtunnel's control port, kept so old habits and firewall rules still work. */
    public static final int DEFAULT_CONTROL_PORT = rtunnel.protocol.Protocol.DEFAULT_CONTROL_PORT;

    /** The original's keep-alive interval. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(2);

    /**
     * A client is dead after this many keep-alive intervals without a frame from it. It answers every
     * PING, so four intervals (8 s by default) leave room for three lost or delayed answers on a congested
     * link before its ports are freed for its reconnect, while staying under the client's own 10 s timeout.
     */
    public static final int SILENT_INTERVALS_BEFORE_DEAD = 4;

    public ServerSettings {
        Objects.requireNonNull(controlAddress, "controlAddress");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(hostKey, "hostKey");
        Objects.requireNonNull(limits, "limits");
        protections = List.copyOf(protections);
        publicBind = List.copyOf(publicBind);
        Objects.requireNonNull(visitors, "visitors");
        if (protections.isEmpty()) {
            throw new IllegalArgumentException("at least one frame protection is needed");
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keep-alive must be positive, not " + keepAlive);
        }
    }

    /** Settings with the default frame protections (encryption preferred, integrity-only accepted). */
    public ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive,
            Path authorizedKeys, Path hostKey, ServerLimits limits) {
        this(controlAddress, ports, keepAlive, authorizedKeys, hostKey, limits, ProtectionMode.DEFAULT, List.of(), VisitorSettings.NONE);
    }

    /** Settings letting clients listen on any address. */
    public ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive,
            Path authorizedKeys, Path hostKey, ServerLimits limits, List<ProtectionMode> protections) {
        this(controlAddress, ports, keepAlive, authorizedKeys, hostKey, limits, protections, List.of(), VisitorSettings.NONE);
    }

    /** Settings without web ports (no tunnels by name). */
    public ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive,
            Path authorizedKeys, Path hostKey, ServerLimits limits, List<ProtectionMode> protections,
            List<InetAddress> publicBind) {
        this(controlAddress, ports, keepAlive, authorizedKeys, hostKey, limits, protections, publicBind,
                VisitorSettings.NONE);
    }

    /** These settings letting clients listen only on {@code addresses}. */
    public ServerSettings withPublicBind(List<InetAddress> addresses) {
        return new ServerSettings(controlAddress, ports, keepAlive, authorizedKeys, hostKey, limits, protections,
                addresses, visitors);
    }

    /** An open server (no authorized keys) with default limits and its host key in the default place. */
    public ServerSettings(InetSocketAddress controlAddress, PortRange ports, Duration keepAlive) {
        this(controlAddress, ports, keepAlive, null, defaultHostKey(), ServerLimits.DEFAULTS);
    }

    /** Where the host key lives unless {@code --host-key} says otherwise: {@code ~/.rtunnel/host_ed25519_key}. */
    public static Path defaultHostKey() {
        return Path.of(System.getProperty("user.home"), ".rtunnel", "host_ed25519_key");
    }

    /** How long a client may stay silent before the server drops it. */
    public Duration deadAfter() {
        return keepAlive.multipliedBy(SILENT_INTERVALS_BEFORE_DEAD);
    }

    /** These settings meeting visitors (web ports, allow-list) as {@code meeting} says. */
    public ServerSettings withVisitors(VisitorSettings meeting) {
        return new ServerSettings(controlAddress, ports, keepAlive, authorizedKeys, hostKey, limits, protections,
                publicBind, meeting);
    }

    /** These settings with another host key file. */
    public ServerSettings withHostKey(Path file) {
        return new ServerSettings(controlAddress, ports, keepAlive, authorizedKeys, file, limits, protections, publicBind, visitors);
    }

    /** These settings with an authorized-keys file. */
    public ServerSettings withAuthorizedKeys(Path file) {
        return new ServerSettings(controlAddress, ports, keepAlive, file, hostKey, limits, protections, publicBind, visitors);
    }

    /** These settings with other limits. */
    public ServerSettings withLimits(ServerLimits newLimits) {
        return new ServerSettings(controlAddress, ports, keepAlive, authorizedKeys, hostKey, newLimits, protections, publicBind, visitors);
    }

    /** These settings with another keep-alive interval. */
    public ServerSettings withKeepAlive(Duration interval) {
        return new ServerSettings(controlAddress, ports, interval, authorizedKeys, hostKey, limits, protections, publicBind, visitors);
    }

    /** These settings agreeing only to {@code modes}. */
    public ServerSettings withProtections(List<ProtectionMode> modes) {
        return new ServerSettings(controlAddress, ports, keepAlive, authorizedKeys, hostKey, limits, modes, publicBind, visitors);
    }
}
