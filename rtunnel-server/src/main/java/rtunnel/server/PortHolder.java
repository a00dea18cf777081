package rtunnel.server;

import java.time.Duration;

/**
 * A session that can hold public ports in the {@link PortRegistry}: an rtunnel client's control session or
 * an ssh client's session on the gateway. Both follow one takeover rule, so they share this face.
 */
interface PortHolder {

    /** Who the client is across reconnects ("key SHA256:...", or a client token): takeover needs the same owner. */
    String owner();

    /** The client's address, {@code host:port}, as the logs show it. */
    String client();

    /** Whether the client still answers a keep-alive probe within {@code wait}: it is not a stale session. */
    boolean answersWithin(Duration wait);

    /** Ends the session for {@code reason}, releasing its ports at once; never waits for its threads. */
    void end(String reason);
}
