package rtunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An echo service on 127.0.0.1:0 served by one selector thread, so ten thousand idle connections cost
 * sockets but no threads. Echoes what it reads and closes a connection when the peer closes it. Run as
 * a program, it prints its port and serves until its standard input ends (when the benchmark exits).
 */
final class SelectorEcho implements AutoCloseable {

    /** The line a separate echo process prints once it listens. */
    static final String READY = "rtunnel-bench echo: listening on 127.0.0.1:";

    private final ServerSocketChannel server;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final AtomicInteger open = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closing;

    SelectorEcho() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "bench-echo-" + port());
        thread.setDaemon(true);
        thread.start();
    }

    public static void main(String[] args) throws Exception {
        try (SelectorEcho echo = new SelectorEcho()) {
            System.out.println(READY + echo.port());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // Keep serving until the benchmark closes our standard input or dies.
            }
        }
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    private void loop() {
        try {
            while (!closing) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        echo(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closing) {
                System.err.println("echo target failed: " + e);
            }
        }
    }

    private void accept() throws IOException {
        for (SocketChannel channel = server.accept(); channel != null; channel = server.accept()) {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            channel.register(selector, SelectionKey.OP_READ);
            open.incrementAndGet();
        }
    }

    /** Reads what is there and writes it back; a peer too slow to take it all loses the connection. */
    private void echo(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            buffer.clear();
            int count = channel.read(buffer);
            if (count < 0) {
                finish(key);
                return;
            }
            buffer.flip();
            channel.write(buffer);
            if (buffer.hasRemaining()) {
                throw new IOException("peer does not read its echo");
            }
        } catch (IOException e) {
            finish(key);
        }
    }

    private void finish(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closing a socket the peer already dropped: nothing left to release.
        }
        open.decrementAndGet();
    }

    /** Stops the selector thread, then closes every connection and the listener. */
    @Override
    public void close() throws IOException {
        closing = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            // Close the channels anyway: the selector thread then fails fast and ends.
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
        server.close();
    }
}
