package rtunnel.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/** A local service for tests that writes bytes to every connection as fast as it is read, and counts them. */
public final class FirehoseTarget implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicLong written = new AtomicLong();

    public FirehoseTarget() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "firehose-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes written to all connections so far. */
    public long written() {
        return written.get();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = server.accept();
                Thread pour = new Thread(() -> pour(socket), "firehose-" + socket.getPort());
                pour.setDaemon(true);
                pour.start();
            }
        } catch (IOException e) {
            // Closed by close(): the test is over.
        }
    }

    private void pour(Socket socket) {
        byte[] chunk = new byte[16 * 1024];
        try (socket) {
            OutputStream out = socket.getOutputStream();
            while (true) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // The tunnel closed the connection: stop pouring.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
