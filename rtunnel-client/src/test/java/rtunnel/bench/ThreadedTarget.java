package rtunnel.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process service on 127.0.0.1:0 that serves each connection on a thread of its own with a
 * {@link Handler}: the sink, source and HTTP responder of the probes. For the few dozen connections a
 * probe opens at once; {@link SelectorEcho} serves the thousands.
 */
final class ThreadedTarget implements AutoCloseable {

    /** Serves one accepted connection until it ends; the target closes the socket afterwards. */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws IOException;
    }

    /** Room for a burst of parallel connects, through the tunnel or not. */
    private static final int BACKLOG = 1024;

    /** How long close() waits for the serving threads, which end as soon as their sockets close. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Handler handler;
    private final ServerSocket server;
    private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
    private final Thread acceptor;

    ThreadedTarget(String name, Handler handler) throws IOException {
        this.name = name;
        this.handler = handler;
        this.server = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "bench-" + name + "-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections being served now. */
    int open() {
        return connections.size();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                Thread thread = new Thread(() -> serve(socket), "bench-" + name + "-" + socket.getPort());
                thread.setDaemon(true);
                connections.put(socket, thread);
                thread.start();
            }
        } catch (IOException e) {
            // close() closed the listener: stop accepting.
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            handler.serve(socket);
        } catch (IOException e) {
            // The visitor closed or reset the connection at the end of its probe: nothing to serve.
        } finally {
            connections.remove(socket);
        }
    }

    /** Closes the listener and every connection, and waits a while for the threads to end. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections.keySet()) {
            socket.close();
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            acceptor.join(CLOSE_WAIT.toMillis());
            for (Thread thread : connections.values()) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            // Stop waiting; the threads are daemons and their sockets are closed.
            Thread.currentThread().interrupt();
        }
    }
}
