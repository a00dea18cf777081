package rtunnel.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.HandshakeProgress;
import rtunnel.protocol.Refusal;

/**
 * What the server hears of one client's handshake: its steps go on to the door's accounting
 * ({@link Startup}), and each key refused on the way (the client may offer another) is logged, counted and
 * reported.
 */
final class HandshakeWatch implements HandshakeProgress {

    private static final Logger log = LoggerFactory.getLogger(HandshakeWatch.class);

    private final HandshakeProgress door;
    private final SessionSetup setup;
    private final String client;

    HandshakeWatch(HandshakeProgress door, SessionSetup setup, String client) {
        this.door = door;
        this.setup = setup;
        this.client = client;
    }

    @Override
    public void reached(Step step) {
        door.reached(step);
    }

    @Override
    public void keyRefused(String reason) {
        log.info("client {}: refused a key, it may offer another: {}", client, reason);
        setup.countRefusal(Refusal.AUTHENTICATION);
        setup.events().keyRefused(client, reason);
    }
}
