package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.AuthorizedKeysAdmission;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.HostKeyFile;
import rtunnel.auth.SshPrivateKey;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.MetricsEndpoint;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Timer;
import rtunnel.relay.WindowBudget;
import rtunnel.relay.Worker;

/** Accepts rtunnel clients on the control address and opens the public listeners they ask for. */
public final class TunnelServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);

    /** Backlog of the control listener: clients reconnecting all at once after a server restart queue here. */
    private static final int CONTROL_BACKLOG = 1024;

    /** How long close() waits for the accepting thread, which only needs to notice its closed socket. */
    private static final long THREAD_EXIT_MILLIS = 5_000;

    private final ServerSettings settings;
    private final SocketThreads threads;
    private final ServerEvents events;
    private final SecureRandom random = new SecureRandom();
    private final Timer timer = new Timer("rtunnel-server-timer");
    private final ClientSessions sessions;
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Metrics metrics = new Metrics();
    private final WebPorts webPorts = new WebPorts();
    private final PortRegistry registry = new PortRegistry();
    private final ServerHealth health = new ServerHealth(registry, webPorts::names);
    private MetricsEndpoint metricsEndpoint;
    private SshGateway sshGateway;
    private volatile boolean closed;
    private volatile IOException failure;
    private AuthorizedKeysFile authorizedKeys;
    private SessionSetup setup;
    private ServerSocket control;
    private Worker acceptThread;

    public TunnelServer(ServerSettings settings) {
        this(settings, new SocketThreads(), ServerEvents.NONE);
    }

    /** A server reporting its events (listening, clients and tunnels coming and going) to {@code events}. */
    public TunnelServer(ServerSettings settings, SocketThreads threads, ServerEvents events) {
        this.settings = settings;
        this.threads = threads;
        this.events = events;
        this.sessions = new ClientSessions(threads, new ClientGate(settings.limits(), metrics, events, random));
        metrics.gauge("rtunnel_server_clients", "Control connections open (handshaking or authenticated).",
                sessions::size);
    }

    /**
     * Loads the host key (creating it on first start) and the authorized keys, binds the control address
     * and starts accepting clients in the background.
     *
     * @throws rtunnel.auth.KeyFileException when a key file cannot be read or has no usable key
     * @throws IOException when the control address cannot be bound
     */
    public void start() throws IOException {
        SshPrivateKey hostKey = HostKeyFile.loadOrCreate(settings.hostKey(), random);
        ClientAdmission admission = ClientAdmission.OPEN;
        if (settings.authorizedKeys() != null) {
            authorizedKeys = new AuthorizedKeysFile(settings.authorizedKeys());
            admission = new AuthorizedKeysAdmission(authorizedKeys);
            authorizedKeys.watch(threads, keys -> recheckSessions());
            log.info("admitting the {} keys in {}", authorizedKeys.get().size(), settings.authorizedKeys());
        } else {
            log.warn("no authorized keys (-a): any client may connect and open ports");
        }
        metrics.gauge("rtunnel_server_tunnels", "Public ports held for clients.", registry::size);
        setup = new SessionSetup(settings, hostKey, admission, new PublicPortBinder(random, settings.publicBind()), registry,
                webPorts.bind(settings.visitors(), metrics), threads, timer, random, metrics, events, WindowBudget.forProcess());
        log.info("host key {}", hostKey.publicKey().fingerprint());
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(settings.controlAddress(), CONTROL_BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        control = socket;
        log.info("listening for clients on {} (public ports {})", controlAddress(), settings.ports());
        // Before the first client can connect, so that "listening" is always the first event.
        events.listening(controlAddress(), hostKeyFingerprint());
        webPorts.start(threads, events);
        acceptThread = threads.start("rtunnel-accept-" + control.getLocalPort(), this::acceptClients);
    }

    /** The control address really bound (the port is known after {@link #start()} even when 0 was asked). */
    public InetSocketAddress controlAddress() {
        if (control == null) {
            throw new IllegalStateException("not started");
        }
        return (InetSocketAddress) control.getLocalSocketAddress();
    }

    private void acceptClients() {
        sessions.acceptFrom(control, setup, e -> {
            log.error("stopped accepting clients: {}", e.getMessage());
            failure = new IOException("stopped accepting clients: " + e.getMessage(), e);
            close();
        });
    }

    /** Reads the authorized keys again now (SIGHUP); false when there is no file or it failed to load. */
    public boolean reloadAuthorizedKeys() {
        return authorizedKeys != null && authorizedKeys.reload(keys -> recheckSessions());
    }

    private void recheckSessions() {
        for (ControlSession session : sessions.open()) {
            session.recheck(setup.admission());
        }
        if (sshGateway != null) {
            sshGateway.recheck();
        }
    }

    /** The server's metrics, also served on {@code /metrics} by {@link #serveMetrics}. */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * Serves the metrics for Prometheus, and {@link ServerHealth} for load balancers, on {@code address} until
     * the server closes; returns the bound address.
     */
    public InetSocketAddress serveMetrics(InetSocketAddress address) throws IOException {
        metricsEndpoint = MetricsEndpoint.start(address, metrics, health);
        return metricsEndpoint.address();
    }

    /**
     * Serves stock ssh clients ({@code ssh -N -R}) on {@code address} until the server closes, with the
     * same host key, keys, port policy and takeover rule; returns the bound address. Call after {@link #start()}.
     */
    public InetSocketAddress serveSsh(InetSocketAddress address) throws IOException {
        sshGateway = new SshGateway(setup, settings.hostKey());
        InetSocketAddress bound = sshGateway.start(address);
        events.sshListening(bound);
        return bound;
    }

    /** The server's host key fingerprint, as {@code ssh-keygen -l} shows it. */
    public String hostKeyFingerprint() {
        return setup.hostKey().publicKey().fingerprint();
    }

    /** How many clients are connected (handshaking or authenticated). */
    public int clients() {
        return sessions.size();
    }

    /** Why the server stopped by itself (it could no longer accept clients), or null. */
    public IOException failure() {
        return failure;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Graceful stop: health checks answer 503, no more clients are accepted, and visitors get up to
     * {@code drain} to finish (see {@link ServerDrain}: with a balancer watching, new ones are still let in
     * meanwhile); every client is told the server is going away; then everything closes.
     */
    public void shutdown(Duration drain) {
        if (closed) {
            return;
        }
        closed = true;
        health.drain();
        closeControlListener();
        new ServerDrain(sessions.open()).run(drain, health.watched());
        closeEverything();
    }

    /** Stops accepting, closes every client session and listener at once, and waits for their threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeControlListener();
        closeEverything();
    }

    private void closeControlListener() {
        // First, so that the accepting thread reads its closed socket as the server's own doing.
        sessions.refuseNew();
        if (control != null) {
            try {
                control.close();
            } catch (IOException e) {
                log.debug("closing the control listener failed: {}", e.getMessage());
            }
        }
    }

    private void closeEverything() {
        try {
            if (authorizedKeys != null) {
                authorizedKeys.close();
            }
            webPorts.close();
            sessions.closeAll();
            if (acceptThread != null) {
                acceptThread.join(THREAD_EXIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            if (sshGateway != null) {
                sshGateway.close();
            }
            timer.close();
            closedLatch.countDown();
            log.info("stopped");
        }
    }
}
