package rtunnel.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A running client as the command drives it: {@link TunnelClient} holds the tunnels on one server at a time,
 * {@link AllServersClient} on every server at once.
 */
interface TunnelService extends AutoCloseable {

    /**
     * Connects, asks for every tunnel and relays, reconnecting as the settings allow; returns normally only
     * after {@link #close()} or {@link #shutdown}, and otherwise throws the failure the client gave up on.
     */
    void run() throws IOException;

    /** Serves the metrics for Prometheus on {@code address} while the client runs; returns the bound address. */
    InetSocketAddress serveMetrics(InetSocketAddress address) throws IOException;

    /** A client waiting to reconnect tries again at once (SIGHUP); a connected client ignores it. */
    void retryNow();

    /** Graceful stop: tells the servers, lets open streams finish for up to {@code drain}, then closes. */
    void shutdown(Duration drain);

    /** Ends every session at once, closes every stream and waits for their threads. */
    @Override
    void close();
}
