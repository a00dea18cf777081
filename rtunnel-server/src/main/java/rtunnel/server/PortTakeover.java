package rtunnel.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/**
 * The takeover rule, the same for rtunnel and ssh clients. When an earlier session of the same client (same
 * key, or same client token) still holds the port, as after a half-open link or a network change, that
 * session is ended so the newcomer gets the port now - unless it still answers a keep-alive probe within
 * the keep-alive interval: then two live clients share a key, and the newcomer is refused rather than the
 * two taking the port from each other for ever. Another client's port stays theirs.
 */
final class PortTakeover {

    private static final Logger log = LoggerFactory.getLogger(PortTakeover.class);

    private PortTakeover() {
    }

    /** Frees {@code port} for {@code newcomer} if an earlier, stale session of its own holds it. */
    static void claimFromEarlierSession(PortRegistry registry, PortHolder newcomer, int port, Duration keepAlive)
            throws RefusedException {
        String why = whyRefused(registry.holder(port), newcomer, keepAlive, "port " + port, "tunnel " + port);
        if (why != null) {
            throw refused(port, why);
        }
    }

    /**
     * The same rule for anything else a session holds (a host name): ends {@code holder} for {@code newcomer},
     * or says why not.
     *
     * @param what the thing held, as the refusal names it ("port 4000", "name app.example.com")
     * @param logged how the log line names it ("tunnel 4000")
     * @return null when {@code newcomer} may have it now; otherwise the refusal's reason
     */
    static String whyRefused(PortHolder holder, PortHolder newcomer, Duration keepAlive, String what, String logged) {
        if (holder == null || holder == newcomer) {
            return null;
        }
        if (!holder.owner().equals(newcomer.owner())) {
            return what + " is in use by another client";
        }
        if (holder.answersWithin(keepAlive)) {
            return what + " is held by a live session of the same client from " + holder.client();
        }
        log.info("{}: client {} takes over from its earlier session {}", logged, newcomer.client(), holder.client());
        holder.end("taken over by a new session from " + newcomer.client());
        return null;
    }

    private static RefusedException refused(int port, String reason) {
        return new RefusedException(Refusal.PORT_IN_USE, "server refused port " + port, reason);
    }
}
