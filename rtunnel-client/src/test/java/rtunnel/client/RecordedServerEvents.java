package rtunnel.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.server.ServerEvents;

/** A server's events, one line each, in the order they came. */
final class RecordedServerEvents implements ServerEvents {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Override
    public void listening(InetSocketAddress control, String hostKeyFingerprint) {
        lines.add("listening " + control.getPort());
    }

    @Override
    public void clientConnected(String client, String keyFingerprint) {
        lines.add("connected " + client + " key " + keyFingerprint);
    }

    @Override
    public void tunnelUp(HostPort bound, String client) {
        lines.add("up " + bound.port() + " for " + client);
    }

    @Override
    public void tunnelDown(int port, String client, String reason) {
        lines.add("down " + port + " for " + client + ": " + reason);
    }

    @Override
    public void clientDisconnected(String client, String reason) {
        lines.add("disconnected " + client + ": " + reason);
    }

    @Override
    public void keyRefused(String client, String reason) {
        lines.add("key refused " + client + ": " + reason);
    }

    @Override
    public void clientRefused(String client, Refusal refusal, String reason) {
        lines.add("client refused " + client + " " + refusal + ": " + reason);
    }

    @Override
    public void nameRefused(String name, String client, Refusal refusal, String reason) {
        lines.add("name refused " + name + " for " + client + " " + refusal + ": " + reason);
    }

    @Override
    public void portRefused(HostPort asked, String client, Refusal refusal, String reason) {
        lines.add("port refused " + asked + " for " + client + " " + refusal + ": " + reason);
    }

    /** The next event; fails after a while without one. */
    String next() throws InterruptedException {
        String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no event within " + WAIT);
        }
        return line;
    }

    /** The next event that starts with {@code prefix}, skipping others; fails after a while without one. */
    String next(String prefix) throws InterruptedException {
        while (true) {
            String line = next();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }
}
