package rtunnel.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.TunnelMeter;
import rtunnel.policy.NamePolicy;
import rtunnel.protocol.ListenRefused;
import rtunnel.protocol.NameAccepted;
import rtunnel.protocol.NameRequest;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.VisitorRules;
import rtunnel.relay.Multiplexer;

/** The host names one client owns on the server's web ports: answers its LISTEN_NAME requests, releases them. */
final class SessionNames {

    private static final Logger log = LoggerFactory.getLogger(SessionNames.class);

    /** A name this session owns and its meter, closed when the name is given up. */
    private record Held(String name, TunnelMeter meter) {
    }

    private final ControlSession session;
    private final SessionSetup setup;
    private final Map<Integer, Held> byTunnelId = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    SessionNames(ControlSession session, SessionSetup setup) {
        this.session = session;
        this.setup = setup;
    }

    /** Answers one LISTEN_NAME with NAME_OK or LISTEN_REFUSED; may block briefly for a takeover. */
    void listen(NameRequest request, NamePolicy policy, VisitorRules rules, int tunnelsHeld, Multiplexer mux) {
        try {
            String name = claim(request, policy, rules, tunnelsHeld, mux);
            if (name != null) {
                NameRegistry names = setup.names();
                // A name behind basic auth refuses HTTPS visitors (NameHandOff): its client shows no https URL.
                int httpsPort = rules.user().isEmpty() && rules.password().isEmpty() ? names.httpsPort() : 0;
                mux.send(new NameAccepted(request.tunnelId(), name, names.httpPort(), httpsPort).toFrame());
                log.info("name {}: owned by client {}", name, session.client());
                setup.events().nameUp(name, session.client());
            }
        } catch (RefusedException e) {
            refuse(request, e, mux);
        }
    }

    /** Answers LISTEN_REFUSED for a name, and logs, counts and reports the refusal. */
    void refuse(NameRequest request, RefusedException e, Multiplexer mux) {
        log.warn("name {}: refused client {}: {}", request.name(), session.client(), e.reason());
        setup.countRefusal(e.refusal());
        setup.events().nameRefused(request.name(), session.client(), e.refusal(), e.reason());
        mux.send(new ListenRefused(request.tunnelId(), e.refusal(), e.reason()).toFrame());
    }

    private String claim(NameRequest request, NamePolicy policy, VisitorRules rules, int tunnelsHeld,
            Multiplexer mux) throws RefusedException {
        int limit = setup.settings().limits().maxTunnelsPerClient();
        if (byTunnelId.containsKey(request.tunnelId())) {
            throw refused(request.name(), Refusal.BAD_REQUEST, "tunnel id " + request.tunnelId() + " is already in use");
        }
        if (byTunnelId.size() + tunnelsHeld >= limit) {
            throw refused(request.name(), Refusal.LIMIT, "at most " + limit + " tunnels per client");
        }
        if (setup.names().httpPort() == 0 && setup.names().httpsPort() == 0) {
            throw refused(request.name(), Refusal.PORT_NOT_ALLOWED, "the server has no --http-port or --https-port");
        }
        String name;
        try {
            name = setup.names().domains().fullName(request.name());
        } catch (IllegalArgumentException e) {
            throw refused(request.name(), Refusal.PORT_NOT_ALLOWED, e.getMessage());
        }
        if (!policy.allows(name)) {
            throw refused(name, Refusal.PORT_NOT_ALLOWED, policy.whyRefused(name));
        }
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
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            TunnelMeter meter = new TunnelMeter(setup.metrics(), "rtunnel_server", name);
            if (!setup.names().claim(name, new NameRegistry.Owner(session, request.tunnelId(), mux, meter,
                    new OpenStreams(setup.settings().limits().maxStreamsPerTunnel()), tunnelRules))) {
                meter.closed();
                throw refused(name, Refusal.PORT_IN_USE, "name " + name + " is in use by another client");
            }
            byTunnelId.put(request.tunnelId(), new Held(name, meter));
            return name;
        } finally {
            lock.unlock();
        }
    }

    /** How many names this session owns. */
    int size() {
        return byTunnelId.size();
    }

    /** Gives up every name for {@code reason}: their visitors get 502 until the client is back. */
    void release(String reason) {
        List<Held> names;
        lock.lock();
        try {
            closed = true;
            names = List.copyOf(byTunnelId.values());
            byTunnelId.clear();
        } finally {
            lock.unlock();
        }
        for (Held held : names) {
            setup.names().release(held.name(), session);
            held.meter().closed();
            log.info("name {}: released by client {}: {}", held.name(), session.client(), reason);
            setup.events().nameDown(held.name(), session.client(), reason);
        }
    }

    private static RefusedException refused(String name, Refusal refusal, String reason) {
        return new RefusedException(refusal, "server refused name " + name, reason);
    }
}
