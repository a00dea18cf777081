package rtunnel.server;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import rtunnel.metrics.TunnelMeter;
import rtunnel.web.DomainNames;

/**
 * Which client session owns each host name on the server's HTTP and HTTPS ports. A name whose session
 * ended stays known as "client away" so its visitors get 502 (the client is reconnecting) rather than 404.
 */
final class NameRegistry {

    /**
     * Names kept as "client away", at most; the oldest are forgotten first (their visitors get 404). Without
     * {@code -a} anyone may claim names and leave, so what is remembered of them must be bounded.
     */
    static final int MAX_AWAY_NAMES = 10_000;

    /** One name's owner: its session, where its visitors go, how many are there now, and who may visit. */
    record Owner(PortHolder session, NameRoute route, TunnelMeter meter, OpenStreams streams, TunnelRules rules) {
    }

    private static final Owner AWAY = new Owner(null, null, null, null, null);

    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    private final ReentrantLock awayLock = new ReentrantLock();
    /** The names now away, oldest first. */
    private final LinkedHashSet<String> away = new LinkedHashSet<>();
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

    /** The owner of {@code name}; null when nobody owns it or it is long gone; {@link #isAway} when its client is gone. */
    Owner owner(String name) {
        return owners.get(name);
    }

    static boolean isAway(Owner owner) {
        return owner == AWAY;
    }

    /** The session holding {@code name} now, or null. */
    PortHolder holder(String name) {
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
        if (now == owner) {
            awayLock.lock();
            try {
                away.remove(name);
            } finally {
                awayLock.unlock();
            }
        }
        return now == owner;
    }

    /** Marks {@code name} away if {@code session} still holds it, forgetting the oldest away name past the limit. */
    void release(String name, PortHolder session) {
        Owner now = owners.computeIfPresent(name, (key, owner) -> owner.session() == session ? AWAY : owner);
        if (now != AWAY) {
            return;
        }
        awayLock.lock();
        try {
            away.remove(name);
            away.add(name);
            if (away.size() > MAX_AWAY_NAMES) {
                String oldest = away.iterator().next();
                away.remove(oldest);
                owners.remove(oldest, AWAY);
            }
        } finally {
            awayLock.unlock();
        }
    }

    /** How many names are held by a connected client. */
    int held() {
        return (int) owners.values().stream().filter(owner -> owner != AWAY).count();
    }
}
