package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Accepts rtunnel clients on the control address and opens the public listeners they ask for. */
public final class TunnelServer implements AutoCloseable {

    private final ServerSettings settings;

    public TunnelServer(ServerSettings settings) {
        this.settings = settings;
    }

    /** Binds the control address and starts accepting clients in the background. */
    public void start() throws IOException {
        throw new IOException("not yet written: " + settings);
    }

    /** The control address really bound (the port is known after {@link #start()} even when 0 was asked). */
    public InetSocketAddress controlAddress() {
        throw new IllegalStateException("not started");
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
    }

    /** Stops accepting, closes every client session and listener, and waits for their threads. */
    @Override
    public void close() {
    }
}
