package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
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

    /**
     * How long ssh has to accept a visitor's channel: it answers once its connection to the target is made or
     * has failed, which on a working laptop takes milliseconds; a frozen one is dropped by the keep-alive first.
     */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectionService service;
    private final SocketThreads threads;
    private final String client;
    /** The forwards, as ssh asked for them, taking the HTTP and the HTTPS visitors; null: none. */
    private volatile SshdSocketAddress http;
    private volatile SshdSocketAddress https;

    SshChannelRoute(ConnectionService service, SocketThreads threads, String client) {
        this.service = service;
        this.threads = threads;
        this.client = client;
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
            // The channel names the forward as ssh asked for it: that is how ssh finds the target.
            ForwardedTcpipChannel channel = new ForwardedTcpipChannel(forward,
                    new SshdSocketAddress((InetSocketAddress) visitor.getRemoteSocketAddress()));
            try {
                service.registerChannel(channel);
                channel.open().verify(OPEN_TIMEOUT);
            } catch (IOException e) {
                log.warn("name {}: ssh client {} did not take visitor {}: {}", name, client, addressOf(visitor),
                        e.getMessage());
                channel.close(true);
                Multiplexer.reject(visitor);
                return;
            }
            new SshChannelRelay(visitor, channel, meter).run(threads, label);
        } finally {
            ended.run();
        }
    }

    private static String addressOf(Socket visitor) {
        InetSocketAddress address = (InetSocketAddress) visitor.getRemoteSocketAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
