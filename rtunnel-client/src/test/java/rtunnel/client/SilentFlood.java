package rtunnel.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slowloris on its own thread: connections to a server from loopback addresses 127.0.0.N, which read what
 * the server sends and never send a byte, each replaced from the same address as soon as the server drops it,
 * up to a number of replacements. Non-blocking, so hundreds cost one thread.
 */
final class SilentFlood implements AutoCloseable {

    private final InetSocketAddress target;
    private final Selector selector;
    private final int mostRenewals;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final ByteBuffer discard = ByteBuffer.allocate(4096);
    private final Thread thread;
    private volatile Exception failure;

    private SilentFlood(InetSocketAddress target, int mostRenewals) throws IOException {
        this.target = target;
        this.mostRenewals = mostRenewals;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "rtunnel-test-silent-flood");
    }

    /**
     * {@code perAddress} connections from each of 127.0.0.{@code firstHost} and the {@code addresses - 1}
     * addresses after it, renewed at most {@code mostRenewals} times in all.
     */
    static SilentFlood start(InetSocketAddress target, int firstHost, int addresses, int perAddress, int mostRenewals)
            throws IOException {
        SilentFlood flood = new SilentFlood(target, mostRenewals);
        for (int host = firstHost; host < firstHost + addresses; host++) {
            for (int i = 0; i < perAddress; i++) {
                flood.open("127.0.0." + host);
            }
        }
        flood.thread.start();
        return flood;
    }

    /** Connections the server has accepted and not yet dropped, as far as the flood has seen. */
    int connected() {
        return connected.get();
    }

    /** Connections the server dropped (each replaced while the budget of replacements lasts). */
    int dropped() {
        return dropped.get();
    }

    private void open(String source) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.bind(new InetSocketAddress(source, 0));
        channel.configureBlocking(false);
        channel.register(selector, channel.connect(target) ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, source);
        if (channel.isConnected()) {
            connected.incrementAndGet();
        }
    }

    private void run() {
        try {
            while (!stopping.get()) {
                selector.select(50);
                for (SelectionKey key : selector.selectedKeys()) {
                    serve(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private void serve(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        if (!key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            channel.finishConnect();
            connected.incrementAndGet();
            key.interestOps(SelectionKey.OP_READ);
        } else if (key.isReadable()) {
            discard.clear();
            int read;
            try {
                read = channel.read(discard);
            } catch (IOException reset) {
                read = -1;
            }
            if (read < 0) {
                connected.decrementAndGet();
                key.cancel();
                channel.close();
                if (dropped.incrementAndGet() <= mostRenewals) {
                    open((String) key.attachment());
                }
            }
        }
    }

    /** Stops replacing, closes every connection and waits for the thread; fails if the thread did. */
    @Override
    public void close() throws Exception {
        stopping.set(true);
        selector.wakeup();
        thread.join(10_000);
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
        if (failure != null) {
            throw failure;
        }
    }
}
