package rtunnel.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule for something a client holds (a public port, a host name) that an earlier session still holds:
 * when that session is the same client's (same key, or same client token), as after a half-open link or a
 * network change, it is closed so the newcomer gets it now - unless it still answers a PING within the
 * keep-alive interval: then two live clients share a key, and the newcomer is refused rather than the two
 * taking it from each other for ever. Another client's stays theirs.
 */
final class Takeover {

    private static final Logger log = LoggerFactory.getLogger(Takeover.class);

    private Takeover() {
    }

    /**
     * Ends {@code holder} for {@code newcomer}, or says why not.
     *
     * @param what the thing held, as the reason names it ("port 4000", "name app.example.com")
     * @return null when {@code newcomer} may have it now; otherwise the refusal's reason
     */
    static String whyRefused(ControlSession holder, ControlSession newcomer, Duration keepAlive, String what) {
        if (holder == null || holder == newcomer) {
            return null;
        }
        if (!holder.owner().equals(newcomer.owner())) {
            return what + " is in use by another client";
        }
        if (holder.answersWithin(keepAlive)) {
            return what + " is held by a live session of the same client from " + holder.client();
        }
        log.info("{}: client {} takes over from its earlier session {}", what, newcomer.client(), holder.client());
        holder.end("taken over by a new session from " + newcomer.client());
        return null;
    }
}
