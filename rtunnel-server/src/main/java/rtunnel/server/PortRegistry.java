package rtunnel.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which session holds each public port of this server, rtunnel and ssh clients alike, so a reconnecting
 * client can take its port back.
 */
final class PortRegistry {

    private final Map<Integer, PortHolder> holders = new ConcurrentHashMap<>();

    /** The session holding {@code port}, or null. */
    PortHolder holder(int port) {
        return holders.get(port);
    }

    /** How many public ports are held. */
    int size() {
        return holders.size();
    }

    void claim(int port, PortHolder session) {
        holders.put(port, session);
    }

    /** Forgets {@code port} if {@code session} still holds it. */
    void release(int port, PortHolder session) {
        holders.remove(port, session);
    }
}
