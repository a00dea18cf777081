package rtunnel.auth;

import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/**
 * The server's rule for who may connect: asked for the key a client names before its signature is checked,
 * and again once the client has proven it holds that key (if any).
 */
public interface ClientAdmission {

    /** Without {@code -a}: anyone may connect, with or without a key, as in the original rtunnel. */
    ClientAdmission OPEN = new ClientAdmission() {
        @Override
        public boolean keyRequired() {
            return false;
        }

        @Override
        public AuthorizedKey admit(SshPublicKey key) {
            return null;
        }
    };

    /** Whether clients without a key are turned away (told to the client in SERVER_HELLO). */
    boolean keyRequired();

    /**
     * The key a client names in AUTH (its wire blob), to check the client's signature with. Asked before
     * the signature is checked, so that a key this server refuses anyway costs neither parsing nor a
     * signature check. This default, for a server that admits any key, parses the key as a peer's.
     *
     * @throws RefusedException when the key is malformed or outside the limits, or not admitted here
     */
    default SshPublicKey keyToVerify(byte[] blob) throws RefusedException {
        try {
            return SshPublicKey.fromPeer(blob);
        } catch (IllegalArgumentException e) {
            throw refused(e.getMessage());
        }
    }

    /**
     * Admits the client holding {@code key} ({@code null}: no key).
     *
     * @return the authorized-keys entry that let the key in, or null when the server admits anyone
     * @throws RefusedException with a reason the client prints
     */
    AuthorizedKey admit(SshPublicKey key) throws RefusedException;

    /** A refusal of the client's key. */
    static RefusedException refused(String reason) {
        return new RefusedException(Refusal.AUTHENTICATION, "server refused the client", reason);
    }
}
