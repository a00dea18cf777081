package rtunnel.server;

import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.policy.AllowList;
import rtunnel.relay.Multiplexer;

/**
 * Who may visit one tunnel: the operator's {@code --allow-from} and the client's own for this tunnel; a
 * visitor must be in both. Checked at accept (for a name, as soon as its name is known), before anything is
 * opened toward the client.
 */
record VisitorCheck(AllowList server, AllowList tunnel) {

    private static final Logger log = LoggerFactory.getLogger(VisitorCheck.class);

    /** Only the operator's list: a web port before the name, and so the tunnel, is known. */
    static VisitorCheck serverOnly(AllowList server) {
        return new VisitorCheck(server, AllowList.ANYONE);
    }

    /**
     * Resets {@code visitor} at once, logging it and running {@code counted}, unless both lists admit it.
     *
     * @param label the tunnel as the log names it ("tunnel 4000", "name app.example.com")
     * @return whether the visitor was turned away
     */
    boolean turnsAway(Socket visitor, String label, Runnable counted) {
        if (server.admits(visitor.getInetAddress()) && tunnel.admits(visitor.getInetAddress())) {
            return false;
        }
        log.info("{}: resetting visitor {}: not in {}", label, visitor.getRemoteSocketAddress(),
                server.admits(visitor.getInetAddress()) ? "the client's --allow-from" : "the server's --allow-from");
        counted.run();
        Multiplexer.reject(visitor);
        return true;
    }
}
