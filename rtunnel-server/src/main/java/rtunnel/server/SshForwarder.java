package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.forward.DefaultForwarder;
import org.apache.sshd.common.io.IoAcceptor;
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
 * policy, limits, takeover rule and registry as an rtunnel client's LISTEN, and then MINA's own forwarder
 * binds the port we chose and carries the visitors. A refusal is a failed forward; our reason goes to the log.
 */
final class SshForwarder extends DefaultForwarder {

    private static final Logger log = LoggerFactory.getLogger(SshForwarder.class);

    private final SessionSetup setup;
    private final SshSession holder;
    /** The forwards that ask for a host name rather than a port ({@link SshNames#asksForName}). */
    private final SshNames names;
    /** The public ports held, by port, with the address bound for each. */
    private final Map<Integer, InetSocketAddress> held = new ConcurrentHashMap<>();
    /** Where the next {@link #doBind} binds: the address our policy chose. Guarded by this. */
    private InetSocketAddress chosen;

    SshForwarder(ConnectionService service, SessionSetup setup) {
        super(service);
        this.setup = setup;
        this.holder = SshSession.of((ServerSession) service.getSession());
        this.names = new SshNames(holder, setup, service);
        holder.forwardsThrough(this);
    }

    @Override
    public SshdSocketAddress localPortForwardingRequested(SshdSocketAddress local) throws IOException {
        if (SshNames.asksForName(local)) {
            // Nothing is bound: each visitor of the name gets a channel of its own (SshChannelRoute).
            return names.forward(local, held.size()) ? local : null;
        }
        HostPort asked = new HostPort(publicHost(local.getHostName()), local.getPort());
        try {
            InetSocketAddress address = choose(asked);
            SshdSocketAddress bound;
            synchronized (this) {
                chosen = address;
                try {
                    bound = super.localPortForwardingRequested(local);
                } finally {
                    chosen = null;
                }
            }
            if (bound == null) {
                throw refused(asked, Refusal.BAD_REQUEST, "the forward was not accepted");
            }
            opened(asked, address, bound.getPort());
            return bound;
        } catch (RefusedException e) {
            return refusedPort(asked, e.refusal(), e.reason());
        } catch (IOException e) {
            return refusedPort(asked, Refusal.ADDRESS_UNAVAILABLE, e.getMessage());
        }
    }

    /**
     * The host as rtunnel understands it. OpenSSH sends "localhost" when the user gave no bind address
     * ({@code -R 4000:localhost:3000}); the point of this server is a public port, so that means all
     * interfaces here (and {@code --public-bind} still decides which), as on frp and sish.
     */
    private static String publicHost(String host) {
        return host == null || host.equals("localhost") ? "" : host;
    }

    /** Checks the policy and limits, takes the port over if due, and picks the address to bind. */
    private InetSocketAddress choose(HostPort asked) throws RefusedException {
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
        // Our binder picks the port (a free one in range for port 0) and the address (--public-bind); MINA
        // binds the same address next, an instant later.
        try (ServerSocket probe = setup.binder().bind(asked, policy.portsFor(asked.host()))) {
            return (InetSocketAddress) probe.getLocalSocketAddress();
        } catch (IOException e) {
            throw refused(asked, Refusal.ADDRESS_UNAVAILABLE, e.getMessage());
        }
    }

    @Override
    protected InetSocketAddress doBind(SshdSocketAddress address, IoAcceptor acceptor) throws IOException {
        InetSocketAddress target = chosen;
        return super.doBind(target == null ? address : new SshdSocketAddress(target), acceptor);
    }

    private void opened(HostPort asked, InetSocketAddress address, int port) {
        HostPort shown = new HostPort(address.getAddress().isAnyLocalAddress() || !asked.isWildcard() ? asked.host()
                : address.getAddress().getHostAddress(), port);
        held.put(port, new InetSocketAddress(address.getAddress(), port));
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
        super.localPortForwardingCancelled(local);
        if (held.containsKey(local.getPort())) {
            released(local.getPort(), "cancelled by the ssh client");
        }
    }

    /** Stops listening on every port at once and releases them and the names (the session is ending). */
    void releaseAll(String reason) {
        names.releaseAll(reason);
        for (Integer port : List.copyOf(held.keySet())) {
            InetSocketAddress address = held.get(port);
            // Once MINA closes the forwarder it unbinds by itself; asking for its acceptor then would make one.
            if (address != null && isOpen()) {
                try {
                    getLocalIoAcceptor().unbind(address);
                } catch (RuntimeException e) {
                    log.debug("tunnel {}: unbinding failed: {}", port, e.getMessage());
                }
            }
            released(port, reason);
        }
    }

    private void released(int port, String reason) {
        if (held.remove(port) == null) {
            return;
        }
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
