package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.StreamMeter;

/**
 * Carries one visitor through a {@code forwarded-tcpip} channel opened in an ssh session: opens the channel
 * naming the forward as ssh asked for it, resets the visitor if ssh does not take it, else relays until done.
 */
final class SshVisitorChannel {

    private static final Logger log = LoggerFactory.getLogger(SshVisitorChannel.class);

    /**
     * How long ssh has to accept a visitor's channel: it answers once its connection to the target is made or
     * has failed, which on a working laptop takes milliseconds; a frozen one is dropped by the keep-alive first.
     */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final ConnectionService service;
    private final SocketThreads threads;
    private final String client;

    SshVisitorChannel(ConnectionService service, SocketThreads threads, String client) {
        this.service = service;
        this.threads = threads;
        this.client = client;
    }

    /**
     * Relays {@code visitor} through a new channel for {@code forward} on this thread; returns when done.
     *
     * @param what the forward as the log names it ("name app", "tunnel 4000")
     */
    void carry(Socket visitor, SshdSocketAddress forward, String what, String label, StreamMeter meter) {
        // The channel names the forward as ssh asked for it: that is how ssh finds the target.
        ForwardedTcpipChannel channel = new ForwardedTcpipChannel(forward,
                new SshdSocketAddress((InetSocketAddress) visitor.getRemoteSocketAddress()));
        try {
            service.registerChannel(channel);
            channel.open().verify(OPEN_TIMEOUT);
        } catch (IOException e) {
            log.warn("{}: ssh client {} did not take visitor {}: {}", what, client, addressOf(visitor),
                    e.getMessage());
            channel.close(true);
            Multiplexer.reject(visitor);
            return;
        }
        new SshChannelRelay(visitor, channel, meter).run(threads, label);
    }

    static String addressOf(Socket visitor) {
        InetSocketAddress address = (InetSocketAddress) visitor.getRemoteSocketAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
