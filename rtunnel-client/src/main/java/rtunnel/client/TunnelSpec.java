package rtunnel.client;

import java.util.Objects;
import rtunnel.protocol.HostPort;

/**
 * One tunnel a client asks for: the server listens on {@code remote} and every visitor there is relayed to
 * {@code target}, as seen from the client, after a {@code proxy} header naming the visitor.
 */
public record TunnelSpec(HostPort remote, HostPort target, ProxyProtocol proxy) {

    public TunnelSpec {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(proxy, "proxy");
        if (target.port() == 0) {
            throw new IllegalArgumentException("tunnel target " + target + " needs a port above 0");
        }
    }

    /** A tunnel that sends no PROXY header. */
    public TunnelSpec(HostPort remote, HostPort target) {
        this(remote, target, ProxyProtocol.NONE);
    }

    /** Parses {@code -f [HOST:]PORT} (bare port: all interfaces) and {@code -t [HOST:]PORT} (bare port: localhost). */
    public static TunnelSpec parse(String remote, String target) {
        return new TunnelSpec(HostPort.parse(remote, "", -1), HostPort.parse(target, "localhost", -1));
    }

    /** This tunnel sending a {@code version} header. */
    public TunnelSpec withProxy(ProxyProtocol version) {
        return new TunnelSpec(remote, target, version);
    }
}
