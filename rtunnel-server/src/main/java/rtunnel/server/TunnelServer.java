package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.AuthorizedKeysAdmission;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.HostKeyFile;
import rtunnel.auth.SshPrivateKey;
import rtunnel.relay.SocketThreads;

/** Accepts rtunnel clients on the control address and opens the public listeners they ask for. */
public final class TunnelServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);

    /** Backlog of the control listener: clients reconnecting all at once after a server restart queue here. */
    private static final int CONTROL_BACKLOG = 1024;

    /** How long close() waits for each session's thread, which only needs to notice its closed socket. */
    private static final long THREAD_EXIT_MILLIS = 5_000;

    private final ServerSettings settings;
    private final SocketThreads threads;
    private final SecureRandom random = new SecureRandom();
    private final PublicPortBinder binder;
    private AuthorizedKeysFile authorizedKeys;
    private SessionSetup setup;
    private final Set<ControlSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Thread> sessionThreads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile boolean closed;
    private ServerSocket control;
    private Thread acceptThread;

    public TunnelServer(ServerSettings settings) {
        this(settings, new SocketThreads());
    }

    public TunnelServer(ServerSettings settings, SocketThreads threads) {
        this.settings = settings;
        this.threads = threads;
        this.binder = new PublicPortBinder(random);
    }

    /**
     * Loads the host key (creating it on first start) and the authorized keys, binds the control address
     * and starts accepting clients in the background.
     *
     * @throws IOException when a key file cannot be read or the control address cannot be bound
     * @throws IllegalArgumentException when the authorized-keys file holds no usable key
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
        setup = new SessionSetup(hostKey, admission, settings.ports(), binder, threads, random);
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
        try {
            while (true) {
                Socket client = control.accept();
                ControlSession session = new ControlSession(client, setup);
                sessions.add(session);
                if (closed) {
                    session.close();
                }
                threads.start("rtunnel-control-" + session.client(), () -> serve(session));
            }
        } catch (IOException e) {
            if (!closed) {
                log.error("stopped accepting clients: {}", e.getMessage());
                close();
            }
        }
    }

    private void serve(ControlSession session) {
        sessionThreads.add(Thread.currentThread());
        try {
            session.run();
        } finally {
            sessions.remove(session);
            sessionThreads.remove(Thread.currentThread());
        }
    }

    /** Reads the authorized keys again now (SIGHUP); false when there is no file or it failed to load. */
    public boolean reloadAuthorizedKeys() {
        return authorizedKeys != null && authorizedKeys.reload(keys -> recheckSessions());
    }

    private void recheckSessions() {
        for (ControlSession session : List.copyOf(sessions)) {
            session.recheck(setup.admission());
        }
    }

    /** The server's host key fingerprint, as {@code ssh-keygen -l} shows it. */
    public String hostKeyFingerprint() {
        return setup.hostKey().publicKey().fingerprint();
    }

    /** How many clients are connected (handshaking or authenticated). */
    public int clients() {
        return sessions.size();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /** Stops accepting, closes every client session and listener, and waits for their threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (authorizedKeys != null) {
                authorizedKeys.close();
            }
            if (control != null) {
                control.close();
            }
            List.copyOf(sessions).forEach(ControlSession::close);
            for (Thread thread : List.copyOf(sessionThreads)) {
                thread.join(THREAD_EXIT_MILLIS);
            }
            if (acceptThread != null && acceptThread != Thread.currentThread()) {
                acceptThread.join(THREAD_EXIT_MILLIS);
            }
        } catch (IOException e) {
            log.debug("closing the control listener failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closedLatch.countDown();
            log.info("stopped");
        }
    }
}
