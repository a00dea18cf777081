package rtunnel.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.TunnelMeter;
import rtunnel.policy.NamePolicy;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.VisitorRules;

/**
 * The host names one session holds on the server's web ports, an rtunnel client's ({@link SessionNames}) or an
 * ssh client's ({@link SshNames}): every name asked for passes the same rules (a web port for its visitors, the
 * domains, the key's {@code permithostname}, the tunnels-per-client limit, the takeover rule) and is logged,
 * counted and reported the same way.
 */
final class HeldNames {

    private static final Logger log = LoggerFactory.getLogger(HeldNames.class);

    private final PortHolder session;
    private final SessionSetup setup;
    /** The full names held, with their meters (closed when the name is given up). */
    private final Map<String, TunnelMeter> held = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    HeldNames(PortHolder session, SessionSetup setup) {
        this.session = session;
        this.setup = setup;
    }

    /**
     * Gives the name {@code asked} (a label under the first domain, or a full name) to this session, its
     * visitors to go by {@code route}; may block briefly for a takeover.
     *
     * @param otherTunnels the ports the session holds, which count against the same limit
     * @return the full name; null when the session ended meanwhile
     * @throws RefusedException when a rule says no; it is logged, counted and reported already
     */
    String claim(String asked, NamePolicy policy, VisitorRules rules, int otherTunnels, NameRoute route)
            throws RefusedException {
        try {
            String name = checked(asked, policy, otherTunnels, route);
            TunnelRules tunnelRules;
            try {
                tunnelRules = TunnelRules.of(rules, true);
            } catch (IllegalArgumentException e) {
                throw refused(name, Refusal.BAD_REQUEST, e.getMessage());
            }
            String why = PortTakeover.whyRefused(setup.names().holder(name), session, setup.settings().keepAlive(),
                    "name " + name, "name " + name);
            if (why != null) {
                throw refused(name, Refusal.PORT_IN_USE, why);
            }
            if (!register(name, route, tunnelRules)) {
                return null;
            }
            log.info("name {}: owned by client {}", name, session.client());
            setup.events().nameUp(name, session.client());
            return name;
        } catch (RefusedException e) {
            refused(asked, e);
            throw e;
        }
    }

    /** The full name {@code asked} stands for, once the rules that need no registry allow it. */
    private String checked(String asked, NamePolicy policy, int otherTunnels, NameRoute route)
            throws RefusedException {
        int limit = setup.settings().limits().maxTunnelsPerClient();
        if (held.size() + otherTunnels >= limit) {
            throw refused(asked, Refusal.LIMIT, "at most " + limit + " tunnels per client");
        }
        NameRegistry names = setup.names();
        String unserved = whyUnserved(names, route.takes(false), route.takes(true));
        if (unserved != null) {
            throw refused(asked, Refusal.PORT_NOT_ALLOWED, unserved);
        }
        String name;
        try {
            name = names.domains().fullName(asked);
        } catch (IllegalArgumentException e) {
            throw refused(asked, Refusal.PORT_NOT_ALLOWED, e.getMessage());
        }
        if (!policy.allows(name)) {
            throw refused(name, Refusal.PORT_NOT_ALLOWED, policy.whyRefused(name));
        }
        if (held.containsKey(name)) {
            throw refused(name, Refusal.PORT_IN_USE, "name " + name + " is held by this session already");
        }
        return name;
    }

    /**
     * Why the server cannot take a name's visitors of HTTP ({@code http}) or HTTPS ({@code https}): it has none
     * of those web ports; null when it has one.
     */
    static String whyUnserved(NameRegistry names, boolean http, boolean https) {
        if (http && names.httpPort() != 0 || https && names.httpsPort() != 0) {
            return null;
        }
        return "the server has no " + (!https ? "--http-port" : !http ? "--https-port" : "--http-port or --https-port");
    }

    /** Puts {@code name} in the registry for this session; false when the session ended meanwhile. */
    private boolean register(String name, NameRoute route, TunnelRules rules) throws RefusedException {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            TunnelMeter meter = new TunnelMeter(setup.metrics(), "rtunnel_server", name);
            if (!setup.names().claim(name, new NameRegistry.Owner(session, route, meter,
                    new OpenStreams(setup.settings().limits().maxStreamsPerTunnel()), rules))) {
                meter.closed();
                throw refused(name, Refusal.PORT_IN_USE, "name " + name + " is in use by another client");
            }
            held.put(name, meter);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Logs, counts and reports the refusal of the name {@code asked}. */
    void refused(String asked, RefusedException e) {
        log.warn("name {}: refused client {}: {}", asked, session.client(), e.reason());
        setup.countRefusal(e.refusal());
        setup.events().nameRefused(asked, session.client(), e.refusal(), e.reason());
    }

    /** How many names this session holds. */
    int size() {
        return held.size();
    }

    /** Gives up {@code name} for {@code reason}, if this session holds it: its visitors get 502. */
    void release(String name, String reason) {
        TunnelMeter meter = held.remove(name);
        if (meter != null) {
            released(name, meter, reason);
        }
    }

    /** Gives up every name for {@code reason}, and takes no more: their visitors get 502 until the client is back. */
    void releaseAll(String reason) {
        List<String> names;
        lock.lock();
        try {
            closed = true;
            names = List.copyOf(held.keySet());
        } finally {
            lock.unlock();
        }
        names.forEach(name -> release(name, reason));
    }

    private void released(String name, TunnelMeter meter, String reason) {
        setup.names().release(name, session);
        meter.closed();
        log.info("name {}: released by client {}: {}", name, session.client(), reason);
        setup.events().nameDown(name, session.client(), reason);
    }

    static RefusedException refused(String name, Refusal refusal, String reason) {
        return new RefusedException(refusal, "server refused name " + name, reason);
    }
}
