package rtunnel.auth;

/**
 * Hears a server's handshake move on, so the server can tell a peer that works through it from one that
 * holds a connection open without getting anywhere. Called on the handshake's own thread; must not block.
 */
@FunctionalInterface
public interface HandshakeProgress {

    /** Hears nothing. */
    HandshakeProgress NONE = step -> {
    };

    /** The steps of a client's handshake as the server sees them, in order. */
    enum Step {
        /** Accepted; nothing useful received yet (a preamble alone does not count). */
        CONNECTED,
        /** The preamble and CLIENT_HELLO arrived, and the server answers. */
        HELLO,
        /** AUTH arrived: what is left is the server's own check of it. */
        AUTH
    }

    /** The handshake has just reached {@code step}. */
    void reached(Step step);

    /**
     * The key of the last AUTH was refused for {@code reason}, before its signature was checked, and the
     * client may offer another (AUTH_RETRY). A refusal that ends the handshake is thrown instead.
     */
    default void keyRefused(String reason) {
    }
}
