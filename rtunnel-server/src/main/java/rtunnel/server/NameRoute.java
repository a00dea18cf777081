package rtunnel.server;

import java.net.Socket;
import rtunnel.relay.StreamMeter;

/**
 * Where the visitors of one host name go: a stream over an rtunnel client's connection ({@link StreamRoute}),
 * or a {@code forwarded-tcpip} channel to an ssh client ({@link SshChannelRoute}). {@link NameHandOff} checks
 * the name's rules first and then hands the visitor here, without knowing which kind it is.
 */
interface NameRoute {

    /** Whether visitors of the HTTPS port ({@code tls}) or of the HTTP port are taken. */
    boolean takes(boolean tls);

    /**
     * Relays {@code visitor} of the HTTPS port ({@code tls}) or the HTTP port, whose input replays the bytes
     * read so far, to the client until both ends are done, in the background; {@code ended} runs once when the
     * relay is over or could not start.
     */
    void open(Socket visitor, boolean tls, String name, Runnable ended, StreamMeter meter);
}
