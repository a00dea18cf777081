package rtunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local service for tests on 127.0.0.1:0: echoes every byte back, and when the peer half-closes, finishes
 * echoing and half-closes too. Counts the connections it accepted.
 */
public final class EchoTarget implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final Thread acceptor;

    public EchoTarget() throws IOException {
        this(0);
    }

    /** An echo target on {@code port} of 127.0.0.1 (0: any free port), e.g. to restart one where it was. */
    public EchoTarget(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        acceptor = new Thread(this::acceptLoop, "echo-target-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Bytes received over all connections. */
    public long received() {
        return received.get();
    }

    /** Connections still open. */
    public int open() {
        return connections.size();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                connections.add(socket);
                Thread echo = new Thread(() -> echo(socket), "echo-" + socket.getPort());
                echo.setDaemon(true);
                echo.start();
            }
        } catch (IOException e) {
            // The listener was closed by close(): the test is over.
        }
    }

    private void echo(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.addAndGet(n);
                out.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // The peer reset the connection; nothing more to echo.
        } finally {
            connections.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
