package rtunnel.client;

import java.io.IOException;

/** Connects to an rtunnel server, asks for the tunnels, and relays every visitor to its target. */
public final class TunnelClient implements AutoCloseable {

    private final ClientSettings settings;
    private final ClientEvents events;

    public TunnelClient(ClientSettings settings, ClientEvents events) {
        this.settings = settings;
        this.events = events;
    }

    /**
     * Connects, asks for every tunnel and relays until the session ends. Returns normally only after
     * {@link #close()}.
     *
     * @throws rtunnel.protocol.RefusedException when the server refuses a port or the client's key
     * @throws rtunnel.protocol.ProtocolException when the peer is not an rtunnel server or breaks the protocol
     * @throws IOException when the server cannot be reached or the connection is lost
     */
    public void run() throws IOException {
        throw new IOException("not yet written: " + settings + events);
    }

    /** Ends the session, closes every stream and waits for their threads. */
    @Override
    public void close() {
    }
}
