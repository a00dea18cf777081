package rtunnel.cli;

/**
 * The exit statuses of {@code rtunnel_server} and {@code rtunnel_client}, so that a supervisor can tell a
 * transient failure (retry) from a configuration mistake (do not).
 */
public final class ExitCodes {

    /** Stopped cleanly: SIGTERM or SIGINT, or {@code --help} and {@code --version}. */
    public static final int OK = 0;

    /** An internal error: a bug; the message names the exception. */
    public static final int INTERNAL = 1;

    /** A usage error: an unknown flag, a missing or malformed value; nothing was started. */
    public static final int USAGE = 2;

    /** The client cannot reach the server or lost the connection; the server cannot bind its control address. */
    public static final int UNREACHABLE = 3;

    /** The server refused the client's key. */
    public static final int AUTH_REFUSED = 4;

    /** The server refused a requested port (outside its range, in use, or not bindable). */
    public static final int PORT_REFUSED = 5;

    /** The peer is not an rtunnel server of this version, or it broke the protocol. */
    public static final int PROTOCOL_MISMATCH = 6;

    private ExitCodes() {
    }
}
