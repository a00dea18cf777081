package rtunnel.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.ClientHandshake;
import rtunnel.auth.FrameExchange;
import rtunnel.auth.SshPublicKey;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.relay.ControlWriter;
import rtunnel.relay.KeepAlive;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Timer;

/**
 * Connects to an rtunnel server, asks for the tunnels, and relays every visitor to its target. When the
 * connection is lost it reconnects by itself with backoff, asking for the same public ports again.
 */
public final class TunnelClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);


    /** A session up this long counts as having lasted: the next reconnect starts again from the first delay. */
    static final Duration LASTING_SESSION = Duration.ofSeconds(10);

    /** How often a draining shutdown looks whether the last stream has finished. */
    private static final long DRAIN_POLL_NANOS = 20_000_000;

    private final ClientSettings settings;
    private final ClientEvents events;
    private final SocketThreads threads;
    private final SecureRandom random = new SecureRandom();
    private final byte[] clientToken = new byte[ClientHello.TOKEN_LENGTH];
    /** The public port each tunnel got last time, asked for again on reconnect (0: none yet). */
    private final AtomicIntegerArray boundPorts;
    private final Timer timer = new Timer("rtunnel-client-timer");
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean closed;
    private boolean retryNow;
    private volatile Socket socket;
    private volatile Multiplexer multiplexer;
    private volatile KeepAlive keepAlive;
    private volatile String endReason;

    public TunnelClient(ClientSettings settings, ClientEvents events) {
        this(settings, events, new SocketThreads());
    }

    public TunnelClient(ClientSettings settings, ClientEvents events, SocketThreads threads) {
        this.settings = settings;
        this.events = events;
        this.threads = threads;
        this.boundPorts = new AtomicIntegerArray(settings.tunnels().size());
        random.nextBytes(clientToken);
    }

    /**
     * Connects, asks for every tunnel and relays, reconnecting after failures as the settings allow.
     * Returns normally only after {@link #close()}.
     *
     * @throws RefusedException when the server refuses a port or the client's key (never retried)
     * @throws ProtocolException when the peer is not an rtunnel server of this version (never retried)
     * @throws IOException when the server cannot be reached, or the connection is lost, once the retries
     *     are used up
     */
    public void run() throws IOException {
        Backoff backoff = new Backoff(random);
        int failures = 0;
        try {
            while (!isClosed()) {
                long started = System.nanoTime();
                IOException failure = attempt();
                if (failure == null) {
                    return;
                }
                if (System.nanoTime() - started >= LASTING_SESSION.toNanos() && multiplexer != null) {
                    backoff.reset();
                    failures = 0;
                }
                failures++;
                if (settings.maxRetries() != ClientSettings.FOREVER && failures > settings.maxRetries()) {
                    throw failure;
                }
                Duration delay = backoff.next();
                log.warn("{}; reconnecting in {} ms (attempt {})", failure.getMessage(), delay.toMillis(), failures);
                events.reconnecting(failures, delay, failure.getMessage());
                pause(delay);
            }
        } finally {
            timer.close();
        }
    }

    /** One session: null when it ended because of close(), else the failure to retry after. */
    private IOException attempt() throws IOException {
        endReason = null;
        multiplexer = null;
        try {
            session();
            return null;
        } catch (RefusedException e) {
            if (e.refusal() != Refusal.LIMIT) {
                throw e;
            }
            return e;
        } catch (ProtocolException e) {
            if (multiplexer == null) {
                throw e;
            }
            return e;
        } catch (IOException e) {
            return isClosed() ? null : withReason(e);
        } finally {
            closeSession();
        }
    }

    private IOException withReason(IOException e) {
        String reason = endReason;
        return reason == null ? e : new SocketException("server " + settings.server() + ": " + reason);
    }

    private void session() throws IOException {
        Socket connection = connect();
        FrameReader reader = new FrameReader(new BufferedInputStream(connection.getInputStream(), Multiplexer.CONTROL_BUFFER_BYTES));
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(connection.getOutputStream(), Multiplexer.CONTROL_BUFFER_BYTES));
        SshPublicKey serverKey = new ClientHandshake(random, clientToken, settings.identity(),
                settings.serverFingerprint(), settings.protections()).run(new FrameExchange(reader, writer));
        connection.setSoTimeout(0);
        log.info("connected to {}, host key {}", settings.server(), serverKey.fingerprint());
        events.serverIdentified(settings.server(), serverKey.fingerprint());
        ControlWriter controlWriter = new ControlWriter(writer, this::writeFailed);
        Multiplexer mux = new Multiplexer("server " + settings.server(), connection, reader, controlWriter, threads);
        mux.handleSessionFramesWith(new ClientSession(settings, mux, events, boundPorts::set));
        Duration timeout = settings.timeout();
        KeepAlive alive = new KeepAlive(mux, controlWriter, timeout.dividedBy(2), timeout, this::silent);
        multiplexer = mux;
        keepAlive = alive;
        if (isClosed()) {
            return;
        }
        controlWriter.start(threads, "rtunnel-control-" + settings.server() + "-write");
        alive.start(timer);
        for (int i = 0; i < settings.tunnels().size(); i++) {
            HostPort remote = settings.tunnels().get(i).remote();
            int again = boundPorts.get(i);
            mux.send(new ListenRequest(i + 1, remote.port() == 0 && again != 0
                    ? new HostPort(remote.host(), again) : remote).toFrame());
        }
        mux.run();
        throw new SocketException("server " + settings.server() + " closed the connection");
    }

    private Socket connect() throws IOException {
        HostPort server = settings.server();
        Socket connection = new Socket();
        socket = connection;
        int timeout = (int) settings.timeout().toMillis();
        try {
            connection.connect(new InetSocketAddress(server.host(), server.port()), timeout);
        } catch (IOException e) {
            connection.close();
            throw new IOException("cannot reach server " + server + ": " + e.getMessage(), e);
        }
        connection.setTcpNoDelay(true);
        connection.setSoTimeout(timeout);
        return connection;
    }

    private void silent(String reason) {
        endReason = "dead link, " + reason;
        closeSession();
    }

    private void writeFailed(IOException e) {
        if (!isClosed()) {
            endReason = "writing failed: " + e.getMessage();
        }
        closeSession();
    }

    private void closeSession() {
        KeepAlive alive = keepAlive;
        if (alive != null) {
            alive.close();
        }
        Multiplexer mux = multiplexer;
        if (mux != null) {
            mux.close();
        }
        Socket connection = socket;
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("closing the control connection failed: {}", e.getMessage());
            }
        }
    }

    /** Waits before the next attempt, unless {@link #retryNow()} or {@link #close()} cuts the wait short. */
    private void pause(Duration delay) {
        lock.lock();
        try {
            long left = delay.toNanos();
            while (!closed && !retryNow && left > 0) {
                left = wake.awaitNanos(left);
            }
            retryNow = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** A waiting client tries again at once (SIGHUP). */
    public void retryNow() {
        lock.lock();
        try {
            retryNow = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Graceful stop: tells the server (which closes this client's public ports at once), lets open streams
     * finish for up to {@code drain}, then closes.
     */
    public void shutdown(Duration drain) {
        Multiplexer mux = multiplexer;
        if (mux != null && !isClosed()) {
            mux.send(Frame.empty(FrameType.GOAWAY, 0));
            long deadline = System.nanoTime() + drain.toNanos();
            while (System.nanoTime() - deadline < 0 && mux.openStreams() > 0) {
                LockSupport.parkNanos(DRAIN_POLL_NANOS);
            }
        }
        close();
    }

    /** Ends the session at once, closes every stream and waits for their threads. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        closeSession();
    }
}
