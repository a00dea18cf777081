package rtunnel.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which client session holds each public port of this server, so a reconnecting client can take its port back. */
final class PortRegistry {

    private final Map<Integer, ControlSession> holders = new ConcurrentHashMap<>();

    /** The session holding {@code port}, or null. */
    ControlSession holder(int port) {
        return holders.get(port);
    }

    /** How many public ports are held. */
    int size() {
        return holders.size();
    }

    void claim(int port, ControlSession session) {
        holders.put(port, session);
    }

    /** Forgets {@code port} if {@code session} still holds it. */
    void release(int port, ControlSession session) {
        holders.remove(port, session);
    }
}
