package rtunnel.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rtunnel.metrics.TunnelMeter;
import rtunnel.relay.Multiplexer;
import rtunnel.web.DomainNames;

/**
 * Which client session owns each host name on the server's HTTP and HTTPS ports. A name whose session
 * ended stays known as "client away" so its visitors get 502 (the client is reconnecting) rather than 404.
 */
final class NameRegistry {

    /**
     * One name's owner: its session, the tunnel id there, where its visitors' streams open, how many are, and
     * who may visit.
     */
    record Owner(ControlSession session, int tunnelId, Multiplexer mux, TunnelMeter meter, OpenStreams streams,
            TunnelRules rules) {
    }

    private static final Owner AWAY = new Owner(null, 0, null, null, null, null);

    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    private final DomainNames domains;
    private final int httpPort;
    private final int httpsPort;

    /** Names under {@code domains}, served on {@code httpPort} and {@code httpsPort} (0: no such port). */
    NameRegistry(DomainNames domains, int httpPort, int httpsPort) {
        this.domains = domains;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    DomainNames domains() {
        return domains;
    }

    int httpPort() {
        return httpPort;
    }

    int httpsPort() {
        return httpsPort;
    }

    /** The owner of {@code name}; null when nobody ever owned it; {@link #isAway} when its client is gone. */
    Owner owner(String name) {
        return owners.get(name);
    }

    static boolean isAway(Owner owner) {
        return owner == AWAY;
    }

    /** The session holding {@code name} now, or null. */
    ControlSession holder(String name) {
        Owner owner = owners.get(name);
        return owner == null ? null : owner.session();
    }

    /**
     * Gives {@code name} to {@code owner} unless another connected session holds it (one that claimed it
     * between the caller's takeover check and now); says whether it did.
     */
    boolean claim(String name, Owner owner) {
        Owner now = owners.compute(name, (key, held) -> held == null || held == AWAY
                || held.session() == owner.session() ? owner : held);
        return now == owner;
    }

    /** Marks {@code name} away if {@code session} still holds it. */
    void release(String name, ControlSession session) {
        owners.computeIfPresent(name, (key, owner) -> owner.session() == session ? AWAY : owner);
    }

    /** How many names are held by a connected client. */
    int held() {
        return (int) owners.values().stream().filter(owner -> owner != AWAY).count();
    }
}
