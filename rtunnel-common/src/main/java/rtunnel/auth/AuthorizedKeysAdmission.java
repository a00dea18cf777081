package rtunnel.auth;

import java.util.function.Supplier;

/** Admits only keys listed (and not revoked) in the current authorized-keys file. */
public final class AuthorizedKeysAdmission implements ClientAdmission {

    private final Supplier<AuthorizedKeys> current;

    /** {@code current} gives the latest file contents, so a reload takes effect on the next client. */
    public AuthorizedKeysAdmission(Supplier<AuthorizedKeys> current) {
        this.current = current;
    }

    @Override
    public boolean keyRequired() {
        return true;
    }

    @Override
    public AuthorizedKey admit(SshPublicKey key) throws rtunnel.protocol.RefusedException {
        if (key == null) {
            throw ClientAdmission.refused("this server requires a key (-k)");
        }
        AuthorizedKeys keys = current.get();
        if (keys.isRevoked(key)) {
            throw ClientAdmission.refused("key " + key.fingerprint() + " is revoked");
        }
        return keys.lookup(key)
                .orElseThrow(() -> ClientAdmission.refused("key " + key.fingerprint() + " is not authorized"));
    }
}
