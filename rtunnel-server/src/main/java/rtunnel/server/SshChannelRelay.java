package rtunnel.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.sshd.client.channel.ClientChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.StreamMeter;
import rtunnel.relay.Worker;

/**
 * Relays one visitor's socket and its open ssh channel, both ways, until both are done: a visitor's half-close
 * reaches ssh as EOF and ssh's EOF half-closes the visitor; a failure either way resets both.
 */
final class SshChannelRelay {

    private static final Logger log = LoggerFactory.getLogger(SshChannelRelay.class);

    /** Bytes read at once: one SSH packet's usual payload (32 KiB), so a read fills about one packet. */
    static final int BUFFER_BYTES = 32 * 1024;

    private final Socket visitor;
    private final ClientChannel channel;
    private final StreamMeter meter;

    SshChannelRelay(Socket visitor, ClientChannel channel, StreamMeter meter) {
        this.visitor = visitor;
        this.channel = channel;
        this.meter = meter;
    }

    /** Relays on this thread (visitor to ssh) and one more (ssh to visitor), named after {@code label}; returns when both are done. */
    void run(SocketThreads threads, String label) {
        Worker toVisitor;
        try {
            toVisitor = threads.start(label + "-in", this::toVisitor);
        } catch (RejectedExecutionException e) {
            log.warn("{}: resetting: {}", label, e.getMessage());
            abort();
            return;
        }
        toChannel();
        try {
            // No deadline: ssh's answer may take as long as the app likes; a failure either way ends it by abort().
            toVisitor.join(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        }
        close();
    }

    private void toChannel() {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (OutputStream out = channel.getInvertedIn()) {
            InputStream in = visitor.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
                meter.fromSocket(n);
            }
            // Leaving the try sends EOF: the visitor's half-close reaches the laptop's target.
        } catch (IOException e) {
            failed("visitor to ssh", e);
        }
    }

    private void toVisitor() {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = channel.getInvertedOut();
            OutputStream out = visitor.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                meter.toSocket(n);
            }
            visitor.shutdownOutput();
        } catch (IOException e) {
            failed("ssh to visitor", e);
        }
    }

    private void failed(String direction, IOException e) {
        if (e instanceof SocketException && visitor.isClosed()) {
            log.debug("visitor {}: {} ended after the relay closed: {}", visitor.getRemoteSocketAddress(), direction,
                    e.getMessage());
        } else {
            log.debug("visitor {}: {} failed: {}", visitor.getRemoteSocketAddress(), direction, e.getMessage());
        }
        abort();
    }

    /** Resets the visitor and drops the channel at once: the other direction ends too. */
    private void abort() {
        Multiplexer.reject(visitor);
        channel.close(true);
    }

    private void close() {
        try {
            visitor.close();
        } catch (IOException e) {
            log.debug("visitor {}: close failed: {}", visitor.getRemoteSocketAddress(), e.getMessage());
        }
        channel.close(false);
    }
}
