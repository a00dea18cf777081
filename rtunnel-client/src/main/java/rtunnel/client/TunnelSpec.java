package rtunnel.client;

import java.util.Objects;
import rtunnel.protocol.HostPort;

/**
 * One tunnel a client asks for: the server listens on {@code remote} and every visitor there is relayed to
 * {@code target}, as seen from the client.
 */
public record TunnelSpec(HostPort remote, HostPort target) {

    public TunnelSpec {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(target, "target");
        if (target.port() == 0) {
            throw new IllegalArgumentException("tunnel target " + target + " needs a port above 0");
        }
    }

    /** Parses {@code -f [HOST:]PORT} (bare port: all interfaces) and {@code -t [HOST:]PORT} (bare port: localhost). */
    public static TunnelSpec parse(String remote, String target) {
        return new TunnelSpec(HostPort.parse(remote, "", -1), HostPort.parse(target, "localhost", -1));
    }
}
