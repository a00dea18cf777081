package rtunnel.auth;

import java.io.IOException;
import java.util.List;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/**
 * Whether a client goes on with the host key a server has just proven (its signature over this handshake
 * verified): a pinned fingerprint, or the key known_hosts remembers for that server.
 */
public interface ServerTrust {

    /**
     * Returns when {@code hostKey} is the one to trust for this server (a first contact may record it);
     * otherwise throws a {@link RefusedException} with refusal {@link Refusal#AUTHENTICATION}, which ends the
     * client: the server proved a key that is not the one expected.
     */
    void verify(SshPublicKey hostKey) throws IOException;

    /** Trusts a key with one of {@code fingerprints} ({@code SHA256:...}); any key when the list is empty. */
    static ServerTrust pinned(List<String> fingerprints) {
        List<String> pins = List.copyOf(fingerprints);
        return hostKey -> {
            if (!pins.isEmpty() && !pins.contains(hostKey.fingerprint())) {
                throw new RefusedException(Refusal.AUTHENTICATION, "server identity mismatch",
                        "server key is " + hostKey.fingerprint() + ", expected "
                                + (pins.size() == 1 ? "" : "one of ") + String.join(", ", pins));
            }
        };
    }
}
