package rtunnel.server;

import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * A {@code forwarded-tcpip} channel the server opens to an ssh client for one visitor of a remote forward
 * (RFC 4254 section 7.2). Its open message has the same fields, in the same order, as a {@code direct-tcpip}
 * one (the address forwarded, then the originator), so MINA's own channel serves with another type name; its
 * streams pass a half-close on as EOF.
 */
final class ForwardedTcpipChannel extends ChannelDirectTcpip {

    static final String TYPE = "forwarded-tcpip";

    /**
     * @param forwarded the forward as the client asked for it ({@code app}, 80): ssh finds its target by it
     * @param originator the visitor's address
     */
    ForwardedTcpipChannel(SshdSocketAddress forwarded, SshdSocketAddress originator) {
        super(originator, forwarded);
    }

    @Override
    public String getChannelType() {
        return TYPE;
    }
}
