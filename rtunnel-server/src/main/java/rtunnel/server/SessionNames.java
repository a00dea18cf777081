package rtunnel.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import rtunnel.policy.NamePolicy;
import rtunnel.protocol.ListenRefused;
import rtunnel.protocol.NameAccepted;
import rtunnel.protocol.NameRequest;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.VisitorRules;
import rtunnel.relay.Multiplexer;

/**
 * The host names one rtunnel client owns on the server's web ports: answers its LISTEN_NAME requests (the
 * rules are {@link HeldNames}'s), releases them.
 */
final class SessionNames {

    private final HeldNames names;
    private final SessionSetup setup;
    /** The tunnel ids of the names asked for: a client may not use one twice. */
    private final Set<Integer> tunnelIds = ConcurrentHashMap.newKeySet();

    SessionNames(ControlSession session, SessionSetup setup) {
        this.names = new HeldNames(session, setup);
        this.setup = setup;
    }

    /** Answers one LISTEN_NAME with NAME_OK or LISTEN_REFUSED; may block briefly for a takeover. */
    void listen(NameRequest request, NamePolicy policy, VisitorRules rules, int tunnelsHeld, Multiplexer mux) {
        try {
            if (tunnelIds.contains(request.tunnelId())) {
                RefusedException reused = HeldNames.refused(request.name(), Refusal.BAD_REQUEST,
                        "tunnel id " + request.tunnelId() + " is already in use");
                refuse(request, reused, mux);
                return;
            }
            String name = names.claim(request.name(), policy, rules, tunnelsHeld,
                    new StreamRoute(mux, request.tunnelId()));
            if (name != null) {
                tunnelIds.add(request.tunnelId());
                NameRegistry registry = setup.names();
                // A name behind basic auth refuses HTTPS visitors (NameHandOff): its client shows no https URL.
                int httpsPort = rules.user().isEmpty() && rules.password().isEmpty() ? registry.httpsPort() : 0;
                mux.send(new NameAccepted(request.tunnelId(), name, registry.httpPort(), httpsPort).toFrame());
            }
        } catch (RefusedException e) {
            mux.send(new ListenRefused(request.tunnelId(), e.refusal(), e.reason()).toFrame());
        }
    }

    /** Answers LISTEN_REFUSED for a name, and logs, counts and reports the refusal. */
    void refuse(NameRequest request, RefusedException e, Multiplexer mux) {
        names.refused(request.name(), e);
        mux.send(new ListenRefused(request.tunnelId(), e.refusal(), e.reason()).toFrame());
    }

    /** How many names this session owns. */
    int size() {
        return names.size();
    }

    /** Gives up every name for {@code reason}: their visitors get 502 until the client is back. */
    void release(String reason) {
        names.releaseAll(reason);
    }
}
