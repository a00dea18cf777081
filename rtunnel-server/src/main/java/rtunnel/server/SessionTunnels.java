package rtunnel.server;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.policy.ListenPolicy;
import rtunnel.policy.NamePolicy;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenAccepted;
import rtunnel.protocol.ListenRefused;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.NameRequest;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.VisitorRules;
import rtunnel.relay.Multiplexer;

/**
 * The public ports (and, through {@link SessionNames}, the host names) one client holds: answers its listen
 * requests, takes ports back for it, releases them.
 */
final class SessionTunnels {

    private static final Logger log = LoggerFactory.getLogger(SessionTunnels.class);

    private final ControlSession session;
    private final SessionSetup setup;
    private final Map<Integer, PublicListener> byTunnelId = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final SessionNames names;
    private boolean closed;

    SessionTunnels(ControlSession session, SessionSetup setup) {
        this.session = session;
        this.setup = setup;
        this.names = new SessionNames(session, setup);
    }

    /** Answers one LISTEN_NAME; names and ports count together against the tunnels-per-client limit. */
    void listenName(NameRequest request, NamePolicy policy, VisitorRules rules, Multiplexer mux) {
        names.listen(request, policy, rules, byTunnelId.size(), mux);
    }

    /**
     * Answers one LISTEN with LISTEN_OK or LISTEN_REFUSED. May block briefly (DNS, a takeover). Called by
     * the session's one listen worker, so requests of one client never race each other.
     */
    void listen(ListenRequest request, ListenPolicy policy, VisitorRules rules, Multiplexer mux) {
        try {
            PublicListener listener = open(request, policy, rules, mux);
            if (listener != null) {
                HostPort bound = new HostPort(listener.boundHost(request.address()), listener.port());
                mux.send(new ListenAccepted(request.tunnelId(), bound).toFrame());
                log.info("tunnel {}: listening on {} for client {}", listener.port(), bound, session.client());
                setup.events().tunnelUp(bound, session.client());
            }
        } catch (RefusedException e) {
            refuse(request, e, mux);
        }
    }

    /** Answers LISTEN_REFUSED for a name beyond the tunnels-per-client limit. */
    void refuseName(NameRequest request, int limit, Multiplexer mux) {
        names.refuse(request, new RefusedException(Refusal.LIMIT, "server refused name " + request.name(),
                "at most " + limit + " tunnels per client"), mux);
    }

    /** Answers LISTEN_REFUSED, and logs, counts and reports the refusal. */
    void refuse(ListenRequest request, RefusedException e, Multiplexer mux) {
        log.warn("tunnel {}: refused client {}: {}", request.address().port(), session.client(), e.reason());
        setup.countRefusal(e.refusal());
        setup.events().portRefused(request.address(), session.client(), e.refusal(), e.reason());
        mux.send(new ListenRefused(request.tunnelId(), e.refusal(), e.reason()).toFrame());
    }

    /** The refusal of a LISTEN beyond {@code limit} tunnels for this client. */
    static RefusedException overLimit(HostPort asked, int limit) {
        return refused(asked, Refusal.LIMIT, "at most " + limit + " tunnels per client");
    }

    private PublicListener open(ListenRequest request, ListenPolicy policy, VisitorRules rules, Multiplexer mux)
            throws RefusedException {
        HostPort asked = request.address();
        int limit = setup.settings().limits().maxTunnelsPerClient();
        if (byTunnelId.containsKey(request.tunnelId())) {
            throw refused(asked, Refusal.BAD_REQUEST, "tunnel id " + request.tunnelId() + " is already in use");
        }
        if (byTunnelId.size() + names.size() >= limit) {
            throw overLimit(asked, limit);
        }
        VisitorCheck check;
        try {
            check = new VisitorCheck(setup.settings().visitors().allowFrom(), TunnelRules.of(rules, false).allowFrom());
        } catch (IllegalArgumentException e) {
            throw refused(asked, Refusal.BAD_REQUEST, e.getMessage());
        }
        if (!policy.allows(asked.host(), asked.port())) {
            throw refused(asked, Refusal.PORT_NOT_ALLOWED, policy.whyRefused(asked.host(), asked.port()));
        }
        if (asked.port() != 0) {
            PortTakeover.claimFromEarlierSession(setup.registry(), session, asked.port(), setup.settings().keepAlive());
        }
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            ServerSocket socket = setup.binder().bind(asked, policy.portsFor(asked.host()));
            PublicListener listener = new PublicListener(socket, request.tunnelId(), mux, session.client(),
                    setup.settings().limits().maxStreamsPerTunnel(), setup.metrics(), check);
            byTunnelId.put(request.tunnelId(), listener);
            setup.registry().claim(listener.port(), session);
            listener.start(setup.threads());
            return listener;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every public listener (no new visitors) and releases the ports, for {@code reason}; open
     * streams go on.
     */
    void stopListening(String reason) {
        names.release(reason);
        List<PublicListener> listeners;
        lock.lock();
        try {
            closed = true;
            listeners = List.copyOf(byTunnelId.values());
            byTunnelId.clear();
        } finally {
            lock.unlock();
        }
        for (PublicListener listener : listeners) {
            listener.close();
            setup.registry().release(listener.port(), session);
            log.info("tunnel {}: closed for client {}: {}", listener.port(), session.client(), reason);
            setup.events().tunnelDown(listener.port(), session.client(), reason);
        }
    }

    private static RefusedException refused(HostPort asked, Refusal refusal, String reason) {
        return new RefusedException(refusal, "server refused port " + asked.port(), reason);
    }
}
