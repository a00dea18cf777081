package rtunnel.client;

import java.util.List;
import rtunnel.protocol.HostPort;

/**
 * Which of the client's servers ({@code -c}, in the order given) it tries next, and whether it waits first.
 * After a failed attempt or a lost session the client moves on to the next server at once, wrapping round
 * to the first; only when as many attempts in a row have failed as there are servers does it wait the
 * backoff delay. A session that lasted starts the count again, and the client stays on a server that
 * works. With one server this is plain reconnecting with backoff.
 */
final class ServerRotation {

    private final List<HostPort> servers;
    private int current;
    private int failedInARow;

    ServerRotation(List<HostPort> servers) {
        this.servers = List.copyOf(servers);
    }

    /** The server to try now. */
    HostPort current() {
        return servers.get(current);
    }

    /** Its place in the list, from 0. */
    int currentIndex() {
        return current;
    }

    /**
     * Records that the attempt on {@link #current()} failed, or that its session ended ({@code lasted}: after
     * running long enough to count as working), and moves on to the next server.
     *
     * @return whether the client should wait before trying it: every server has now failed in a row
     */
    boolean failed(boolean lasted) {
        if (lasted) {
            failedInARow = 0;
        }
        failedInARow++;
        current = (current + 1) % servers.size();
        if (failedInARow < servers.size()) {
            return false;
        }
        failedInARow = 0;
        return true;
    }
}
