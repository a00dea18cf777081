package rtunnel.server;

import java.util.function.Supplier;
import rtunnel.metrics.HealthCheck;

/**
 * The server's answers to a load balancer: {@code /health} is 200 while it serves and 503 once it drains;
 * {@code /health/port/N} is 200 while a client holds public port N, and {@code /health/name/NAME} while a
 * client holds host name NAME (a label alone stands for a name under the first domain, as for the client's
 * --hostname); both are 503 when nobody does, or the server drains. A balancer checking each port or name this
 * way sends visitors only to the servers where their tunnel is up.
 */
final class ServerHealth implements HealthCheck {

    private static final String PORT_PATH = PATH + "/port/";
    private static final String NAME_PATH = PATH + "/name/";

    /** "65535" has five digits: a longer number is no port, and is not parsed at all. */
    private static final int MAX_PORT_DIGITS = 5;

    private final PortRegistry registry;
    private final Supplier<NameRegistry> names;
    private volatile boolean draining;
    private volatile boolean watched;

    /** {@code names}: the registry of host names, or null while the server has not bound its web ports yet. */
    ServerHealth(PortRegistry registry, Supplier<NameRegistry> names) {
        this.registry = registry;
        this.names = names;
    }

    /** Every answer turns 503 from now on: the server is stopping. */
    void drain() {
        draining = true;
    }

    /** Whether anyone has asked for a health path: a balancer may be sending visitors by its answers. */
    boolean watched() {
        return watched;
    }

    @Override
    public Answer check(String path) {
        if (path.equals(PATH)) {
            watched = true;
            return draining ? Answer.unhealthy("draining") : Answer.healthy("serving");
        }
        if (path.startsWith(NAME_PATH)) {
            return checkName(path.substring(NAME_PATH.length()));
        }
        int port = port(path);
        if (port < 0) {
            return Answer.UNKNOWN;
        }
        watched = true;
        if (draining) {
            return Answer.unhealthy("draining");
        }
        return registry.holder(port) != null ? Answer.healthy("port " + port + " is held by a client")
                : Answer.unhealthy("no client holds port " + port);
    }

    /** The answer for {@code /health/name/NAME}: unknown (404) when NAME is no name under the server's domains. */
    private Answer checkName(String asked) {
        NameRegistry registered = names.get();
        if (registered == null) {
            return Answer.UNKNOWN;
        }
        String name;
        try {
            name = registered.domains().fullName(asked);
        } catch (IllegalArgumentException noSuchName) {
            return Answer.UNKNOWN;
        }
        watched = true;
        if (draining) {
            return Answer.unhealthy("draining");
        }
        return registered.holder(name) != null ? Answer.healthy("name " + name + " is held by a client")
                : Answer.unhealthy("no client holds name " + name);
    }

    /** The N of {@code /health/port/N}, or -1 when the path is not that or N is no port (1-65535). */
    private static int port(String path) {
        if (!path.startsWith(PORT_PATH)) {
            return -1;
        }
        String digits = path.substring(PORT_PATH.length());
        if (digits.isEmpty() || digits.length() > MAX_PORT_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535 ? port : -1;
    }
}
