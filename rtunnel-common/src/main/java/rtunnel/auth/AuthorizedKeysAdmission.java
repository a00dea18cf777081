package rtunnel.auth;

import java.util.function.Supplier;
import rtunnel.protocol.RefusedException;

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

    /**
     * The listed key with this blob, found without parsing the blob: a key that is not listed, or revoked,
     * is refused before anything computes with it.
     */
    @Override
    public SshPublicKey keyToVerify(byte[] blob) throws RefusedException {
        AuthorizedKeys keys = current.get();
        SshPublicKey key = keys.named(blob).orElseThrow(
                () -> ClientAdmission.refused("key " + SshPublicKey.fingerprint(blob) + " is not authorized"));
        if (keys.isRevoked(key)) {
            throw ClientAdmission.refused("key " + key.fingerprint() + " is revoked");
        }
        return key;
    }

    @Override
    public AuthorizedKey admit(SshPublicKey key) throws RefusedException {
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
