package rtunnel.protocol;

/** Why a server turned a request down; the code travels on the wire in refusal frames. */
public enum Refusal {
    /** The port lies outside what the server (or this client's key) allows. */
    PORT_NOT_ALLOWED(1, true),
    /** Another client, or another program, holds the port. */
    PORT_IN_USE(2, true),
    /** The server cannot bind the requested address. */
    ADDRESS_UNAVAILABLE(3, true),
    /** The client's key is not accepted, or a key is required and none was offered. */
    AUTHENTICATION(4, false),
    /** A server limit (clients, tunnels per client) is reached. */
    LIMIT(5, false),
    /** The request itself was malformed or not understood. */
    BAD_REQUEST(6, false);

    private final int code;
    private final boolean aboutPort;

    Refusal(int code, boolean aboutPort) {
        this.code = code;
        this.aboutPort = aboutPort;
    }

    /** The byte sent on the wire. */
    public int code() {
        return code;
    }

    /** Whether the refusal concerns the requested port rather than the client. */
    public boolean isAboutPort() {
        return aboutPort;
    }

    /** The refusal with this wire code. */
    public static Refusal fromCode(int code) throws ProtocolException {
        for (Refusal refusal : values()) {
            if (refusal.code == code) {
                return refusal;
            }
        }
        throw new ProtocolException("unknown refusal code " + code);
    }
}
