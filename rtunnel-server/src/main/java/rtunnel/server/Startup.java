package rtunnel.server;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.HandshakeProgress;

/**
 * One connection's handshake as the {@link ClientGate} counts it: it hears the handshake's progress and its
 * end, and the gate drops it through here when it must make room.
 */
final class Startup implements HandshakeProgress {

    private static final Logger log = LoggerFactory.getLogger(Startup.class);

    private final ClientGate gate;
    private final Socket socket;
    private final String client;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Consumer<String> onDrop;

    Startup(ClientGate gate, Socket socket) {
        this.gate = gate;
        this.socket = socket;
        this.client = socket.getRemoteSocketAddress().toString().replaceFirst("^.*/", "");
        this.onDrop = reason -> closeSocket();
    }

    /** The client's address and port, as the logs show it. */
    String client() {
        return client;
    }

    @Override
    public void reached(Step step) {
        if (!ended.get()) {
            gate.progressed(this, step);
        }
    }

    /** The handshake is over, whichever way; only the first call counts. */
    void ended() {
        if (ended.compareAndSet(false, true)) {
            gate.ended(this);
        }
    }

    /** What dropping this handshake does, instead of closing its socket: its session ends itself. */
    void whenDropped(Consumer<String> action) {
        onDrop = action;
    }

    /** Called by the gate, which has already stopped counting it. */
    void drop(String reason) {
        ended.set(true);
        onDrop.accept(reason);
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("client {}: closing a dropped handshake's socket failed: {}", client, e.getMessage());
        }
    }
}
