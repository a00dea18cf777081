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
 * {@code ssh -R NAME:80:...} (HTTP visitors) or {@code NAME:443} (HTTPS): each visitor gets its own channel,
 * opened in the session itself, so no port is listening for it anywhere.
 *
 * @param forwarded the forward as ssh asked for it; the channel names it so ssh finds the target
 */
record SshChannelRoute(ConnectionService service, SshdSocketAddress forwarded, boolean tls, SocketThreads threads,
        String client) implements NameRoute {

    private static final Logger log = LoggerFactory.getLogger(SshChannelRoute.class);

    /**
     * How long ssh has to accept a visitor's channel: it answers once its connection to the target is made or
     * has failed, which on a working laptop takes milliseconds; as long as a TCP connect may take.
     */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public boolean takes(boolean tlsVisitor) {
        return tlsVisitor == tls;
    }

    @Override
    public void open(Socket visitor, String name, Runnable ended, StreamMeter meter) {
        String label = "rtunnel-ssh-" + name + "-" + addressOf(visitor);
        try {
            threads.start(label, () -> relay(visitor, name, label, ended, meter));
        } catch (RejectedExecutionException e) {
            log.warn("name {}: resetting visitor {}: {}", name, addressOf(visitor), e.getMessage());
            Multiplexer.reject(visitor);
            ended.run();
        }
    }

    private void relay(Socket visitor, String name, String label, Runnable ended, StreamMeter meter) {
        try {
            ForwardedTcpipChannel channel = new ForwardedTcpipChannel(forwarded,
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
