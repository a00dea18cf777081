package rtunnel.auth;

import java.util.List;
import java.util.Objects;
import rtunnel.policy.PortRange;

/**
 * One key line of an authorized keys file.
 *
 * @param key the public key
 * @param comment what follows the key on its line, often user@host; empty when there is none
 * @param permitListen the ports its {@code permitlisten} options allow; empty means no narrowing
 * @param revoked whether the line was marked {@code @revoked}
 * @param source where the line is, as {@code file:line}
 */
public record AuthorizedKey(
        SshPublicKey key, String comment, List<PortRange> permitListen, boolean revoked, String source) {

    public AuthorizedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(comment, "comment");
        permitListen = List.copyOf(permitListen);
        Objects.requireNonNull(source, "source");
    }

    /**
     * Whether this line lets its key listen on {@code port}: never when revoked, always when it has no
     * {@code permitlisten}, otherwise when one of them allows the port. The server's range applies on top.
     */
    public boolean mayListenOn(int port) {
        return !revoked
                && (permitListen.isEmpty() || permitListen.stream().anyMatch(range -> range.allows(port)));
    }
}
