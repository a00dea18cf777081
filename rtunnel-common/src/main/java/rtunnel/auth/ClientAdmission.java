package rtunnel.auth;

import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/** The server's rule for who may connect, asked once the client has proven it holds its key (if any). */
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
