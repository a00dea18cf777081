package rtunnel.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in on 127.0.0.1:0 for whoever answers a client before a real server has proven its host key (a
 * wrong peer, or someone on the path): it answers every connection with the same bytes and hangs up, and
 * counts the connections, so a test can see the client come back.
 */
final class ScriptedPeer implements AutoCloseable {

    /** How long the peer waits for the client to hang up after the answer; a hang fails the test's wait instead. */
    private static final int DRAIN_MILLIS = 10_000;

    private final ServerSocket listener;
    private final byte[] answer;
    private final BlockingQueue<Integer> connections = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    ScriptedPeer(byte[] answer) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer.clone();
        this.acceptor = new Thread(this::serve, "scripted-peer-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Waits until the {@code count}-th connection has been answered; fails after {@code deadline}. */
    void awaitConnections(int count, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        for (int seen = 0; seen < count; ) {
            Integer next = connections.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("only " + seen + " of " + count + " connections within " + deadline);
            }
            seen = next;
        }
    }

    private void serve() {
        int served = 0;
        try {
            while (true) {
                try (Socket client = listener.accept()) {
                    answerAndHangUp(client);
                }
                connections.add(++served);
            }
        } catch (SocketException e) {
            // close() closed the listener: the test is over.
        } catch (IOException e) {
            throw new AssertionError("the scripted peer failed", e);
        }
    }

    /**
     * Writes the answer, then half-closes and reads until the client hangs up: closing with the client's
     * bytes unread would reset the connection, and the client might lose the answer to the reset.
     */
    private void answerAndHangUp(Socket client) throws IOException {
        client.setSoTimeout(DRAIN_MILLIS);
        OutputStream out = client.getOutputStream();
        out.write(answer);
        out.flush();
        client.shutdownOutput();
        try {
            InputStream in = client.getInputStream();
            in.transferTo(OutputStream.nullOutputStream());
        } catch (SocketException e) {
            // The client reset the connection on its way out: it has hung up all the same.
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        acceptor.join(DRAIN_MILLIS);
    }
}
