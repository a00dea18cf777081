package rtunnel.client;

import java.util.Objects;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.VisitorRules;

/**
 * One tunnel a client asks for: the server listens on {@code remote} (or, with a {@code hostname}, routes
 * the visitors of that name on its web ports) and every visitor there is relayed to {@code target}, as seen
 * from the client, after a {@code proxy} header naming the visitor. The server admits only the visitors
 * {@code rules} allows (its tunnel id is set when the rules are sent).
 */
public record TunnelSpec(HostPort remote, HostPort target, ProxyProtocol proxy, String hostname,
        VisitorRules rules) {

    public TunnelSpec {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(rules, "rules");
        if (target.port() == 0) {
            throw new IllegalArgumentException("tunnel target " + target + " needs a port above 0");
        }
    }

    /** A tunnel on a public port. */
    public TunnelSpec(HostPort remote, HostPort target, ProxyProtocol proxy) {
        this(remote, target, proxy, null, VisitorRules.none(0));
    }

    /** A tunnel that sends no PROXY header. */
    public TunnelSpec(HostPort remote, HostPort target) {
        this(remote, target, ProxyProtocol.NONE);
    }

    /** Parses {@code -f [HOST:]PORT} (bare port: all interfaces) and {@code -t [HOST:]PORT} (bare port: localhost). */
    public static TunnelSpec parse(String remote, String target) {
        return new TunnelSpec(HostPort.parse(remote, "", -1), HostPort.parse(target, "localhost", -1));
    }

    /** Parses {@code --hostname NAME} (a label, or a full name) and {@code -t [HOST:]PORT}. */
    public static TunnelSpec named(String hostname, String target) {
        if (hostname.isBlank()) {
            throw new IllegalArgumentException("the host name is empty");
        }
        return new TunnelSpec(new HostPort("", 0), HostPort.parse(target, "localhost", -1), ProxyProtocol.NONE,
                hostname, VisitorRules.none(0));
    }

    /** This tunnel sending a {@code version} header. */
    public TunnelSpec withProxy(ProxyProtocol version) {
        return new TunnelSpec(remote, target, version, hostname, rules);
    }

    /** This tunnel admitting only the visitors {@code visitorRules} allows. */
    public TunnelSpec withRules(VisitorRules visitorRules) {
        return new TunnelSpec(remote, target, proxy, hostname, visitorRules);
    }

    /** Whether the tunnel is reached by host name on the server's web ports rather than on a port. */
    public boolean isNamed() {
        return hostname != null;
    }
}
