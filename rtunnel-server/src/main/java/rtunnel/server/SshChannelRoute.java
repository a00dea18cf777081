package rtunnel.server;

import java.net.Socket;
import java.util.concurrent.RejectedExecutionException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.StreamMeter;

/**
 * A name's visitors as {@code forwarded-tcpip} channels of the ssh session that asked for it with
 * {@code ssh -R NAME:80:...} (its HTTP visitors) and {@code NAME:443} (its HTTPS visitors): each visitor gets
 * its own channel, opened in the session itself, so no port is listening for it anywhere.
 */
final class SshChannelRoute implements NameRoute {

    private static final Logger log = LoggerFactory.getLogger(SshChannelRoute.class);

    private final SocketThreads threads;
    private final SshVisitorChannel channels;
    /** The forwards, as ssh asked for them, taking the HTTP and the HTTPS visitors; null: none. */
    private volatile SshdSocketAddress http;
    private volatile SshdSocketAddress https;

    SshChannelRoute(ConnectionService service, SocketThreads threads, String client) {
        this.threads = threads;
        this.channels = new SshVisitorChannel(service, threads, client);
    }

    /** Whether {@code forward} takes HTTPS visitors (port 443) rather than HTTP ones (port 80). */
    static boolean isTls(SshdSocketAddress forward) {
        return forward.getPort() == SshNames.HTTPS;
    }

    /** Sends the visitors {@code forward} asks for to it; false when another forward of the name has them. */
    synchronized boolean add(SshdSocketAddress forward) {
        if (takes(isTls(forward))) {
            return false;
        }
        if (isTls(forward)) {
            https = forward;
        } else {
            http = forward;
        }
        return true;
    }

    /** The ssh client cancelled {@code forward}; returns whether the name still has a forward. */
    synchronized boolean remove(SshdSocketAddress forward) {
        if (isTls(forward)) {
            https = null;
        } else {
            http = null;
        }
        return http != null || https != null;
    }

    @Override
    public boolean takes(boolean tls) {
        return (tls ? https : http) != null;
    }

    @Override
    public void open(Socket visitor, boolean tls, String name, Runnable ended, StreamMeter meter) {
        SshdSocketAddress forward = tls ? https : http;
        String label = "rtunnel-ssh-" + name + "-" + addressOf(visitor);
        try {
            if (forward == null) {
                throw new RejectedExecutionException("its forward was cancelled");
            }
            threads.start(label, () -> relay(visitor, forward, name, label, ended, meter));
        } catch (RejectedExecutionException e) {
            log.warn("name {}: resetting visitor {}: {}", name, addressOf(visitor), e.getMessage());
            Multiplexer.reject(visitor);
            ended.run();
        }
    }

    private void relay(Socket visitor, SshdSocketAddress forward, String name, String label, Runnable ended,
            StreamMeter meter) {
        try {
            channels.carry(visitor, forward, "name " + name, label, meter);
        } finally {
            ended.run();
        }
    }

    private static String addressOf(Socket visitor) {
        return SshVisitorChannel.addressOf(visitor);
    }
}
