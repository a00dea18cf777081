package rtunnel.auth;

import java.util.List;
import java.util.Objects;
import rtunnel.policy.HostPattern;
import rtunnel.policy.ListenPermit;
import rtunnel.policy.NamePolicy;

/**
 * One key line of an authorized keys file.
 *
 * @param key the public key
 * @param comment what follows the key on its line, often user@host; empty when there is none
 * @param permitListen its {@code permitlisten} entries, in file order; empty means no narrowing
 * @param permitHostname its {@code permithostname} patterns, in file order (see {@link NamePolicy})
 * @param revoked whether the line was marked {@code @revoked}
 * @param source where the line is, as {@code file:line}
 */
public record AuthorizedKey(
        SshPublicKey key, String comment, List<ListenPermit> permitListen, List<HostPattern> permitHostname,
        boolean revoked, String source) {

    public AuthorizedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(comment, "comment");
        permitListen = List.copyOf(permitListen);
        permitHostname = List.copyOf(permitHostname);
        Objects.requireNonNull(source, "source");
    }

    /**
     * Whether this line lets its key listen on {@code port} of {@code requestedHost} (as the client sent
     * it): never when revoked, always when it has no {@code permitlisten}, otherwise when one entry allows
     * both. The server's range and {@code --public-bind} apply on top.
     */
    /** The host names this line lets its key own on the server's web ports. */
    public NamePolicy namePolicy() {
        return new NamePolicy(permitHostname, !permitListen.isEmpty());
    }

    public boolean mayListenOn(String requestedHost, int port) {
        return !revoked && (permitListen.isEmpty()
                || permitListen.stream().anyMatch(permit -> permit.allows(requestedHost, port)));
    }
}
