package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.forward.DefaultForwarder;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.policy.ListenPolicy;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/**
 * One ssh session's remote forwards ({@code ssh -R}): each {@code tcpip-forward} goes through the same port
 * policy, limits, takeover rule and registry as an rtunnel client's LISTEN; we bind the port ourselves and carry
 * each visitor in a {@code forwarded-tcpip} channel of its own ({@link SshPortListener}), so half-closes pass both
 * ways. MINA's own forwarder binds nothing. A refusal is a failed forward; our reason goes to the log.
 */
final class SshForwarder extends DefaultForwarder {

    private static final Logger log = LoggerFactory.getLogger(SshForwarder.class);

    private final SessionSetup setup;
    private final SshSession holder;
    /** The forwards that ask for a host name rather than a port ({@link SshNames#asksForName}). */
    private final SshNames names;
    /** The public ports held, by port. */
    private final Map<Integer, SshPortListener> held = new ConcurrentHashMap<>();
    private final SshVisitorChannel channels;

    SshForwarder(ConnectionService service, SessionSetup setup) {
        super(service);
        this.setup = setup;
        this.holder = SshSession.of((ServerSession) service.getSession());
        this.names = new SshNames(holder, setup, service);
        this.channels = new SshVisitorChannel(service, setup.threads(), holder.client());
        holder.forwardsThrough(this);
    }

    @Override
    public SshdSocketAddress localPortForwardingRequested(SshdSocketAddress local) throws IOException {
        if (SshNames.asksForName(local)) {
            // Nothing is bound: each visitor of the name gets a channel of its own (SshChannelRoute).
            return names.forward(local, held.size()) ? local : null;
        }
        HostPort asked = new HostPort(publicHost(local.getHostName()), local.getPort());
        ServerSocket socket;
        try {
            socket = choose(asked);
        } catch (RefusedException e) {
            return refusedPort(asked, e.refusal(), e.reason());
        }
        int port = socket.getLocalPort();
        // ssh matches each visitor's channel to this forward by the host it sent and the port it got.
        SshdSocketAddress forward = new SshdSocketAddress(local.getHostName(), port);
        SshPortListener listener = new SshPortListener(socket, forward, channels, setup.threads(), holder.client(),
                setup.settings().limits().maxStreamsPerTunnel(), setup.metrics(),
                VisitorCheck.serverOnly(setup.settings().visitors().allowFrom()));
        opened(asked, (InetSocketAddress) socket.getLocalSocketAddress(), listener);
        listener.start();
        return forward;
    }

    /**
     * The host as rtunnel understands it. OpenSSH sends "localhost" when the user gave no bind address
     * ({@code -R 4000:localhost:3000}); the point of this server is a public port, so that means all
     * interfaces here (and {@code --public-bind} still decides which), as on frp and sish.
     */
    private static String publicHost(String host) {
        return host == null || host.equals("localhost") ? "" : host;
    }

    /** Checks the policy and limits, takes the port over if due, and binds the port (a free one for port 0). */
    private ServerSocket choose(HostPort asked) throws RefusedException {
        int limit = setup.settings().limits().maxTunnelsPerClient();
        if (held.size() + names.size() >= limit) {
            throw refused(asked, Refusal.LIMIT, "at most " + limit + " tunnels per client");
        }
        ListenPolicy policy = holder.policy(setup.settings().ports());
        if (!policy.allows(asked.host(), asked.port())) {
            throw refused(asked, Refusal.PORT_NOT_ALLOWED, policy.whyRefused(asked.host(), asked.port()));
        }
        if (asked.port() != 0) {
            PortTakeover.claimFromEarlierSession(setup.registry(), holder, asked.port(), setup.settings().keepAlive());
        }
        // Our binder picks the port (a free one in range for port 0) and the address (--public-bind).
        try {
            return setup.binder().bind(asked, policy.portsFor(asked.host()));
        } catch (IOException e) {
            throw refused(asked, Refusal.ADDRESS_UNAVAILABLE, e.getMessage());
        }
    }

    private void opened(HostPort asked, InetSocketAddress address, SshPortListener listener) {
        int port = listener.port();
        HostPort shown = new HostPort(address.getAddress().isAnyLocalAddress() || !asked.isWildcard() ? asked.host()
                : address.getAddress().getHostAddress(), port);
        held.put(port, listener);
        setup.registry().claim(port, holder);
        log.info("tunnel {}: listening on {} for ssh client {}", port, shown, holder.client());
        setup.events().tunnelUp(shown, holder.client());
    }

    @Override
    public void localPortForwardingCancelled(SshdSocketAddress local) throws IOException {
        if (SshNames.asksForName(local)) {
            names.cancelled(local);
            return;
        }
        if (held.containsKey(local.getPort())) {
            released(local.getPort(), "cancelled by the ssh client");
        }
    }

    /** Stops listening on every port at once and releases them and the names (the session is ending). */
    void releaseAll(String reason) {
        names.releaseAll(reason);
        for (Integer port : List.copyOf(held.keySet())) {
            released(port, reason);
        }
    }

    private void released(int port, String reason) {
        SshPortListener listener = held.remove(port);
        if (listener == null) {
            return;
        }
        listener.close();
        setup.registry().release(port, holder);
        log.info("tunnel {}: closed for ssh client {}: {}", port, holder.client(), reason);
        setup.events().tunnelDown(port, holder.client(), reason);
    }

    @Override
    protected void preClose() {
        String reason = holder.endReason();
        releaseAll(reason == null ? "ssh session ended" : reason);
        super.preClose();
    }

    /** Logs, counts and reports a refused forward; ssh hears only that it failed. */
    private SshdSocketAddress refusedPort(HostPort asked, Refusal refusal, String reason) {
        log.warn("tunnel {}: refused ssh client {}: {}", asked.port(), holder.client(), reason);
        setup.countRefusal(refusal);
        setup.events().portRefused(asked, holder.client(), refusal, reason);
        return null;
    }

    private static RefusedException refused(HostPort asked, Refusal refusal, String reason) {
        return new RefusedException(refusal, "server refused port " + asked.port(), reason);
    }
}
