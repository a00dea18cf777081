package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.AgentForwardingFilter;
import org.apache.sshd.server.forward.DirectTcpipFactory;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.X11ForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH door of the server ({@code --ssh-port}): stock {@code ssh -N -R} clients sign in with a key the
 * {@code -a} file admits and get remote forwards under the same rules as rtunnel clients. Apache MINA sshd
 * speaks SSH; this class keeps its configuration in one place, so the rest of the server never sees MINA.
 */
final class SshGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshGateway.class);

    /** Keys an ssh client may offer before it is disconnected: OpenSSH's MaxAuthTries default. */
    static final int MAX_AUTH_TRIES = 6;

    private final SessionSetup setup;
    private final Path hostKey;
    private SshServer server;

    SshGateway(SessionSetup setup, Path hostKey) {
        this.setup = setup;
        this.hostKey = hostKey;
    }

    /** Binds {@code address} and starts serving ssh clients; returns the address bound. */
    InetSocketAddress start(InetSocketAddress address) throws IOException {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(address.getAddress() == null || address.getAddress().isAnyLocalAddress() ? null
                : address.getAddress().getHostAddress());
        sshd.setPort(address.getPort());
        // The rtunnel host key file, so that one fingerprint identifies both doors.
        sshd.setKeyPairProvider(new FileKeyPairProvider(hostKey));
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPublickeyAuthenticator(new SshKeys(setup.admission()));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setShellFactory(channel -> new SshRefusedCommand());
        sshd.setCommandFactory((channel, command) -> new SshRefusedCommand());
        sshd.setSubsystemFactories(List.of());
        sshd.setAgentFactory(null);
        sshd.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE, DirectTcpipFactory.INSTANCE));
        sshd.setForwardingFilter(ForwardingFilter.asForwardingFilter(AgentForwardingFilter.of(false),
                X11ForwardingFilter.of(false), new OnlyRemoteForwards()));
        sshd.setForwarderFactory(service -> new SshForwarder(service, setup));
        sshd.addSessionListener(new SshStartups(setup.settings().limits(), setup.random(),
                () -> sshd.getActiveSessions().size(), setup.metrics()));
        sshd.addSessionListener(new Lifecycle());
        configureTimeouts(sshd);
        sshd.start();
        server = sshd;
        InetSocketAddress bound = (InetSocketAddress) sshd.getBoundAddresses().iterator().next();
        log.info("listening for ssh clients on {}", bound);
        return bound;
    }

    /**
     * The same clocks as rtunnel clients have: a keep-alive every {@code -k} seconds that the client must
     * answer, silent for {@link ServerSettings#SILENT_INTERVALS_BEFORE_DEAD} of them and it is dropped; and
     * {@code --handshake-timeout} to sign in.
     */
    private void configureTimeouts(SshServer sshd) {
        // MINA's server heartbeat wants no answer, so the keep-alive is SshSession's own.
        CoreModuleProperties.AUTH_TIMEOUT.set(sshd, setup.settings().limits().handshakeTimeout());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, MAX_AUTH_TRIES);
    }

    /** Ends the ssh sessions whose key the reloaded authorized keys no longer admit. */
    void recheck() {
        SshServer sshd = server;
        if (sshd == null) {
            return;
        }
        for (Session session : sshd.getActiveSessions()) {
            SshSession.of((ServerSession) session).recheck(setup.admission());
        }
    }

    @Override
    public void close() {
        SshServer sshd = server;
        if (sshd == null) {
            return;
        }
        try {
            sshd.stop(true);
        } catch (IOException e) {
            log.debug("stopping the ssh gateway failed: {}", e.getMessage());
        }
    }

    /** Only {@code tcpip-forward} (checked by {@link SshForwarder}); {@code -L} and {@code -D} never. */
    private static final class OnlyRemoteForwards implements TcpForwardingFilter {

        @Override
        public boolean canListen(org.apache.sshd.common.util.net.SshdSocketAddress address, Session session) {
            return true;
        }

        @Override
        public boolean canConnect(Type type, org.apache.sshd.common.util.net.SshdSocketAddress address,
                Session session) {
            log.warn("ssh client {}: refused {} to {}: this server only accepts remote forwards (ssh -R)",
                    SshSession.describe(session), type == Type.Direct ? "a local forward (-L, -D or -W)"
                            : type.getName(), address);
            return false;
        }
    }

    /** Logs and reports ssh clients signing in and leaving, as for rtunnel clients. */
    private final class Lifecycle implements SessionListener {

        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated) {
                SshSession client = SshSession.of((ServerSession) session);
                String fingerprint = client.key() == null ? null : client.key().fingerprint();
                log.info("ssh client {}: connected with key {}", client.client(), fingerprint);
                client.keepAliveEvery(setup.settings().keepAlive(), setup.settings().deadAfter(), setup.timer());
                setup.events().clientConnected(client.client(), fingerprint);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            SshSession client = SshSession.of((ServerSession) session);
            String reason = client.endReason() == null ? "ssh client closed the connection" : client.endReason();
            client.closed(reason);
            if (((ServerSession) session).isAuthenticated()) {
                log.info("ssh client {}: disconnected: {}", client.client(), reason);
                setup.events().clientDisconnected(client.client(), reason);
            }
        }
    }
}
