package rtunnel.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports for programs that must be told a concrete port to listen on (sshd, nginx, the iperf3 server): the
 * kernel picks a free one for a moment's listener, which is closed and the number passed on. Another process
 * may take it in between, so each program is started on a fresh port again when it fails to start.
 */
final class UnusedPort {

    /** Starts a program on a given port; fails with an IOException when it did not come up there. */
    @FunctionalInterface
    interface Start<T> {
        T on(int port) throws IOException, InterruptedException;
    }

    /** A bind race lost three times in a row means something else is wrong. */
    static final int ATTEMPTS = 3;

    private UnusedPort() {
    }

    /** A port on 127.0.0.1 that was free a moment ago. */
    static int pick() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** {@code start} on a freshly picked port, up to {@link #ATTEMPTS} times; the last failure if all fail. */
    static <T> T startWithRetries(String what, Start<T> start) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return start.on(pick());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException(what + " did not start on any of " + ATTEMPTS + " ports: " + last.getMessage(), last);
    }
}
