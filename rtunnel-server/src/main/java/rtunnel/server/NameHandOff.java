package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.policy.AllowList;
import rtunnel.relay.Multiplexer;
import rtunnel.web.ForwardedHeaders;
import rtunnel.web.HttpHead;

/**
 * Hands a web visitor whose name is known to the client owning it: checks who may visit (the tunnel's
 * allow-list, its password), adds the forwarded headers it asks for, and hands it to the name's
 * {@link NameRoute}, the bytes already read first.
 */
final class NameHandOff {

    private static final Logger log = LoggerFactory.getLogger(NameHandOff.class);

    private NameHandOff() {
    }

    /**
     * Hands {@code visitor} on, or answers it.
     *
     * @param read the request head (HTTP) or ClientHello (TLS) read so far, {@code length} bytes of it
     * @return whether the visitor is the stream's now (or was reset); false when the caller is to close it
     */
    static boolean handOn(Socket visitor, boolean tls, String name, NameRegistry.Owner owner, byte[] read,
            int length) throws IOException {
        TunnelRules rules = owner.rules();
        if (new VisitorCheck(AllowList.ANYONE, rules.allowFrom()).turnsAway(visitor, "name " + name,
                () -> owner.meter().visitorRefused("allow_from"))) {
            return true;
        }
        byte[] first = read;
        int firstLength = length;
        if (!tls) {
            int headEnd = HttpHead.end(read, length);
            if (rules.basicAuth() != null && !rules.basicAuth().admits(read, headEnd)) {
                log.info("name {}: visitor {} without the right credentials: 401", name, visitor.getRemoteSocketAddress());
                owner.meter().visitorRefused("basic_auth");
                WebAnswers.unauthorized(visitor, name);
                return false;
            }
            if (rules.forwardedHeaders()) {
                first = ForwardedHeaders.added(read, length, headEnd,
                        ((InetSocketAddress) visitor.getRemoteSocketAddress()).getAddress(), name);
                firstLength = first.length;
            }
        } else if (rules.basicAuth() != null) {
            // The password is inside TLS, which ends at the laptop: this name is for HTTP visitors only.
            log.info("name {}: visitor {} over HTTPS to a name with basic auth: access_denied", name,
                    visitor.getRemoteSocketAddress());
            owner.meter().visitorRefused("basic_auth");
            WebAnswers.accessDenied(visitor);
            return false;
        }
        if (!owner.streams().tryOpen()) {
            log.warn("name {}: resetting visitor {}: {} streams open already", name, visitor.getRemoteSocketAddress(),
                    owner.streams().max());
            Multiplexer.reject(visitor);
            return true;
        }
        log.debug("name {}: visitor {} for client {}", name, visitor.getRemoteSocketAddress(), owner.session().client());
        // From here on the stream relays: no head deadline any more, and small writes go out at once.
        visitor.setSoTimeout(0);
        visitor.setTcpNoDelay(true);
        Runnable counted = owner.meter().streamOpened();
        owner.route().open(new ReplayingSocket(visitor, first, firstLength), tls, name, () -> {
            owner.streams().closed();
            counted.run();
        }, owner.meter());
        return true;
    }
}
