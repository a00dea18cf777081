package rtunnel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay on 127.0.0.1:0 that stands between a client and a server and misbehaves on demand: it passes
 * traffic, flips one bit of the next chunk in one direction, goes silent without closing (a blackhole), or
 * cuts every connection with a reset. It records what clients sent.
 */
public final class FaultyRelay implements AutoCloseable {

    /** What the relay does with the bytes it carries. */
    public enum Mode { PASS, BLACKHOLE }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<AtomicBoolean> passing = ConcurrentHashMap.newKeySet();
    private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream serverBytes = new ByteArrayOutputStream();
    private volatile byte[][] rewrite;
    /** Where to flip a bit in the next chunk each way (from its end when negative); null: nowhere. */
    private final AtomicReference<Integer> flipToServer = new AtomicReference<>();
    private final AtomicReference<Integer> flipToClient = new AtomicReference<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;

    public FaultyRelay(int upstreamPort) throws IOException {
        upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("relay-accept", this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Sets what the relay does with every connection, open or new. */
    public void mode(Mode newMode) {
        mode = newMode;
        passing.forEach(flag -> flag.set(newMode == Mode.PASS));
    }

    /** Silences the connections open now, as a half-open link would; new connections still pass. */
    public void blackholeExisting() {
        passing.forEach(flag -> flag.set(false));
    }

    /** Flips the lowest bit of the next byte that goes from server to client. */
    public void flipNextByteToClient() {
        flipToClient.set(0);
    }

    /**
     * Flips the lowest bit of byte {@code offset} of the next chunk from server to client (counted from the
     * chunk's end when negative: -1 is its last byte).
     */
    public void flipNextChunkToClientAt(int offset) {
        flipToClient.set(offset);
    }

    /** Flips the lowest bit of the next byte that goes from client to server. */
    public void flipNextByteToServer() {
        flipToServer.set(0);
    }

    /**
     * Replaces the first occurrence of {@code from} in a client-to-server chunk with {@code to} (same
     * length), once: a man in the middle editing the handshake.
     */
    public void rewriteToServer(byte[] from, byte[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("a rewrite must keep the length");
        }
        rewrite = new byte[][] {from, to};
    }

    /** Everything servers have sent through the relay so far. */
    public byte[] serverBytes() {
        synchronized (serverBytes) {
            return serverBytes.toByteArray();
        }
    }

    /** Everything clients have sent through the relay so far. */
    public byte[] clientBytes() {
        synchronized (clientBytes) {
            return clientBytes.toByteArray();
        }
    }

    /** Cuts every open connection with a TCP reset. */
    public void resetAll() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // Already closed by its peer: nothing left to cut.
            }
        }
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Socket server = new Socket();
                server.connect(upstream);
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean pass = new AtomicBoolean(mode == Mode.PASS);
                passing.add(pass);
                daemon("relay-up", () -> pump(client, server, flipToServer, true, pass));
                daemon("relay-down", () -> pump(server, client, flipToClient, false, pass));
            }
        } catch (IOException e) {
            // The listener was closed: the test is over.
        }
    }

    private void pump(Socket from, Socket to, AtomicReference<Integer> flip, boolean fromClient, AtomicBoolean pass) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                Integer at = flip.get();
                if (at != null && n > Math.max(at, -at - 1) && flip.compareAndSet(at, null)) {
                    buffer[at >= 0 ? at : n + at] ^= 1;
                }
                if (fromClient) {
                    applyRewrite(buffer, n);
                }
                ByteArrayOutputStream record = fromClient ? clientBytes : serverBytes;
                synchronized (record) {
                    record.write(buffer, 0, n);
                }
                if (pass.get()) {
                    out.write(buffer, 0, n);
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed or was reset: close the other side too.
            closeQuietly(to);
        }
    }

    private void applyRewrite(byte[] buffer, int length) {
        byte[][] pair = rewrite;
        if (pair == null) {
            return;
        }
        byte[] from = pair[0];
        for (int i = 0; i + from.length <= length; i++) {
            if (java.util.Arrays.equals(buffer, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(pair[1], 0, buffer, i, from.length);
                rewrite = null;
                return;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was wanted.
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(FaultyRelay::closeQuietly);
    }
}
