package rtunnel.server;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.metrics.Counter;
import rtunnel.metrics.Metrics;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.SessionError;

/**
 * The door of the control port: lets a new connection in while the server has room for clients and for
 * handshakes under way, and otherwise turns it away with a reason the client prints (and retries after).
 */
final class ClientGate {

    private static final Logger log = LoggerFactory.getLogger(ClientGate.class);

    private final ServerLimits limits;
    private final Counter turnedAway;
    private final AtomicInteger pending = new AtomicInteger();

    ClientGate(ServerLimits limits, Metrics metrics) {
        this.limits = limits;
        this.turnedAway = metrics.counter("rtunnel_server_refusals_total", "Requests and clients refused, by reason.",
                "reason", "limit");
    }

    /**
     * Admits a connection when {@code clients} are already connected: returns the runnable to call once its
     * handshake is over (however it ended), or null when the connection was turned away.
     */
    Runnable admit(Socket connection, int clients) {
        String full = clients >= limits.maxClients() ? "server is full (" + limits.maxClients() + " clients)"
                : pending.get() >= limits.maxPending() ? "too many handshakes under way (" + limits.maxPending() + ")"
                : null;
        if (full != null) {
            turnedAway.increment();
            turnAway(connection, full);
            return null;
        }
        pending.incrementAndGet();
        AtomicBoolean over = new AtomicBoolean();
        return () -> {
            if (over.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        };
    }

    /** Says why in a frame the client prints, without reading anything from it, and closes. */
    private static void turnAway(Socket connection, String reason) {
        log.warn("turning away {}: {}", connection.getRemoteSocketAddress(), reason);
        try (connection) {
            FrameWriter writer = new FrameWriter(connection.getOutputStream());
            writer.writePreamble();
            writer.write(new SessionError(Refusal.LIMIT, reason).toFrame());
            writer.flush();
        } catch (IOException e) {
            log.debug("could not tell {} why: {}", connection.getRemoteSocketAddress(), e.getMessage());
        }
    }
}
