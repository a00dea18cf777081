package rtunnel.policy;

import java.util.Objects;

/**
 * One {@code permitlisten="[host:]port"} entry of a key line: the ports it grants, on the hosts its
 * pattern matches.
 */
public record ListenPermit(HostPattern host, PortRange ports) {

    public ListenPermit {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ports, "ports");
    }

    /** An entry without a host: these ports on any address. */
    public static ListenPermit anyHost(PortRange ports) {
        return new ListenPermit(HostPattern.ANY, ports);
    }

    /** Whether a client may listen on {@code port} of {@code requestedHost} by this entry. */
    public boolean allows(String requestedHost, int port) {
        return host.matches(requestedHost) && ports.allows(port);
    }

    /**
     * Parses the value of {@code permitlisten}: {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}, where
     * PORT is a number, a {@code low-high} range (rtunnel's addition) or {@code *}, and HOST a pattern.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    public static ListenPermit parse(String spec) {
        String host;
        String port;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0 || !spec.startsWith(":", close + 1)) {
                throw bad(spec, "write an IPv6 host as [ADDRESS]:PORT");
            }
            host = spec.substring(1, close);
            port = spec.substring(close + 2);
        } else {
            int colon = spec.lastIndexOf(':');
            if (colon != spec.indexOf(':')) {
                throw bad(spec, "write an IPv6 host as [ADDRESS]:PORT");
            }
            host = colon < 0 ? "*" : spec.substring(0, colon);
            port = spec.substring(colon + 1);
        }
        HostPattern pattern;
        try {
            pattern = new HostPattern(host);
        } catch (IllegalArgumentException e) {
            throw bad(spec, e.getMessage());
        }
        return new ListenPermit(pattern, portRange(spec, port));
    }

    /** A number, {@code low-high}, or {@code *} for any port. */
    private static PortRange portRange(String spec, String port) {
        if (port.equals("*")) {
            return PortRange.ALL;
        }
        int dash = port.indexOf('-');
        try {
            String low = dash < 0 ? port : port.substring(0, dash);
            String high = dash < 0 ? port : port.substring(dash + 1);
            return new PortRange(Integer.parseInt(low), Integer.parseInt(high));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "permitlisten \"" + spec + "\" is not a port, a port range or *");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("permitlisten: " + e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("permitlisten \"" + spec + "\": " + why);
    }

    /** As written in the file: {@code 4000}, {@code localhost:4000-4099}, {@code [::1]:*}. */
    @Override
    public String toString() {
        String shownPorts = ports.equals(PortRange.ALL) ? "*" : ports.toString();
        if (host.isAny()) {
            return shownPorts;
        }
        String text = host.text();
        return (text.indexOf(':') >= 0 ? "[" + text + "]" : text) + ":" + shownPorts;
    }
}
