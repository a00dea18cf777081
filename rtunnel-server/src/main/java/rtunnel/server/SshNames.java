package rtunnel.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.VisitorRules;

/**
 * The host names one ssh session holds the sish way ({@code ssh -R app:80:localhost:3000}, issue #14): a
 * remote forward whose bind address is a host name and whose port is 80 takes that name's HTTP visitors, 443
 * its HTTPS visitors (one session may have both), under the same rules as an rtunnel client's
 * {@code --hostname} ({@link HeldNames}).
 */
final class SshNames {

    private static final Logger log = LoggerFactory.getLogger(SshNames.class);

    /** The forward port that asks for a name's visitors on the server's {@code --http-port}. */
    static final int HTTP = 80;

    /** The forward port that asks for a name's visitors on the server's {@code --https-port}. */
    static final int HTTPS = 443;

    private final HeldNames names;
    private final SshSession holder;
    private final SessionSetup setup;
    private final ConnectionService service;
    /** The full name each forward holds, by the forward as ssh asked for it ("app:80"). */
    private final Map<String, String> byForward = new ConcurrentHashMap<>();
    /** Where the visitors of each name held go, by full name. */
    private final Map<String, SshChannelRoute> routes = new ConcurrentHashMap<>();

    SshNames(SshSession holder, SessionSetup setup, ConnectionService service) {
        this.names = new HeldNames(holder, setup);
        this.holder = holder;
        this.setup = setup;
        this.service = service;
    }

    /**
     * Whether the forward {@code local} asks for a name rather than a port: its bind address is a host name
     * (not empty, not an IP literal, not the "localhost" OpenSSH sends when none was given) and its port 80 or 443.
     */
    static boolean asksForName(SshdSocketAddress local) {
        String host = local.getHostName();
        return (local.getPort() == HTTP || local.getPort() == HTTPS) && host != null && !host.equals("localhost")
                && host.indexOf(':') < 0 && host.chars().anyMatch(Character::isLetter);
    }

    /**
     * Claims the name {@code local} asks for, its visitors to come through channels of this session; when the
     * session holds that name already through the other web port's forward, adds this one's visitors to it.
     *
     * @param portsHeld the ports the session holds, which count against the same limit
     * @return whether it was granted (a refusal is logged, counted and reported already)
     */
    boolean forward(SshdSocketAddress local, int portsHeld) {
        String held = fullName(local.getHostName());
        SshChannelRoute heldRoute = held == null ? null : routes.get(held);
        if (heldRoute != null) {
            return alsoForward(held, heldRoute, local);
        }
        SshChannelRoute route = new SshChannelRoute(service, setup.threads(), holder.client());
        route.add(local);
        try {
            // An ssh user has no way to ask for visitor rules: the server's own (--allow-from) alone apply.
            String name = names.claim(local.getHostName(), holder.namePolicy(), VisitorRules.none(0), portsHeld,
                    route);
            if (name == null) {
                return false;
            }
            routes.put(name, route);
            byForward.put(key(local), name);
            return true;
        } catch (RefusedException e) {
            return false;
        }
    }

    /** The full name {@code asked} stands for, or null when it is none under the server's domains. */
    private String fullName(String asked) {
        try {
            return setup.names().domains().fullName(asked);
        } catch (IllegalArgumentException e) {
            // Not a name here: HeldNames.claim refuses it with this reason.
            return null;
        }
    }

    /** The name's other web port for {@code local} too ({@code app:80} after {@code app:443}, say). */
    private boolean alsoForward(String name, SshChannelRoute route, SshdSocketAddress local) {
        boolean tls = SshChannelRoute.isTls(local);
        String unserved = HeldNames.whyUnserved(setup.names(), !tls, tls);
        RefusedException refusal = null;
        if (unserved != null) {
            refusal = HeldNames.refused(name, Refusal.PORT_NOT_ALLOWED, unserved);
        } else if (!route.add(local)) {
            refusal = HeldNames.refused(name, Refusal.PORT_IN_USE, "name " + name
                    + " is held by this session already on port " + local.getPort());
        }
        if (refusal != null) {
            names.refused(local.getHostName(), refusal);
            return false;
        }
        byForward.put(key(local), name);
        log.info("name {}: {} visitors too for ssh client {}", name, tls ? "HTTPS" : "HTTP", holder.client());
        return true;
    }

    /** The ssh client cancelled the forward {@code local}: its name is released once it has no forward left. */
    void cancelled(SshdSocketAddress local) {
        String name = byForward.remove(key(local));
        SshChannelRoute route = name == null ? null : routes.get(name);
        if (route != null && !route.remove(local)) {
            routes.remove(name);
            names.release(name, "cancelled by the ssh client");
        }
    }

    /** How many names the session holds. */
    int size() {
        return names.size();
    }

    /** Releases every name for {@code reason} (the session is ending). */
    void releaseAll(String reason) {
        byForward.clear();
        routes.clear();
        names.releaseAll(reason);
    }

    private static String key(SshdSocketAddress forward) {
        return forward.getHostName() + ":" + forward.getPort();
    }
}
