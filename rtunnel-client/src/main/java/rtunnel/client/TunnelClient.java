package rtunnel.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.KeyFileException;
import rtunnel.metrics.Counter;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.MetricsEndpoint;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Timer;

/**
 * Connects to an rtunnel server, asks for the tunnels, and relays every visitor to its target. When the
 * connection is lost it reconnects by itself with backoff, going through its servers in turn
 * ({@link ServerRotation}), asking each for the public ports it last held there, under the same client
 * token (so a server hands over ports a half-open earlier session still holds).
 */
public final class TunnelClient implements TunnelService {

    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);

    /** A session up this long counts as having lasted: the next reconnect starts again from the first delay. */
    static final Duration LASTING_SESSION = Duration.ofSeconds(10);

    private final ClientSettings settings;
    private final ClientEvents events;
    private final SocketThreads threads;
    private final SecureRandom random = new SecureRandom();
    private final byte[] clientToken = new byte[AuthRequest.TOKEN_LENGTH];
    private final ServerRotation rotation;
    /** Per server (by its place in the list), each tunnel's last public port there (0: none yet). */
    private final AtomicIntegerArray[] boundPorts;
    private final Timer timer = new Timer("rtunnel-client-timer");
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean closed;
    private boolean pausing;
    private boolean retryNow;
    private ServerConnection current;
    private final Metrics metrics;
    private final TunnelMeters meters;
    private final Counter reconnects;
    private MetricsEndpoint metricsEndpoint;

    public TunnelClient(ClientSettings settings, ClientEvents events) {
        this(settings, events, new SocketThreads());
    }

    public TunnelClient(ClientSettings settings, ClientEvents events, SocketThreads threads) {
        this(settings, events, threads, new Metrics());
    }

    /** A client counting in {@code metrics} (a {@link Metrics#labelled} view when it is one of several). */
    TunnelClient(ClientSettings settings, ClientEvents events, SocketThreads threads, Metrics metrics) {
        this.metrics = metrics;
        this.meters = new TunnelMeters(metrics);
        this.reconnects = metrics.counter("rtunnel_client_reconnects_total",
                "Times the client waited to reconnect after losing or failing to reach the server.");
        this.settings = settings;
        this.events = events;
        this.threads = threads;
        this.rotation = new ServerRotation(settings.servers());
        this.boundPorts = new AtomicIntegerArray[settings.servers().size()];
        for (int i = 0; i < boundPorts.length; i++) {
            boundPorts[i] = new AtomicIntegerArray(settings.tunnels().size());
        }
        random.nextBytes(clientToken);
    }

    /**
     * Connects, asks for every tunnel and relays, reconnecting after failures as the settings allow.
     * Returns normally only after {@link #close()}.
     *
     * @throws RefusedException when the server, having proven its host key, refuses a port or the client's
     *     key, or its host key is not the one trusted (never retried)
     * @throws ProtocolException when the peer is not an rtunnel server of this version or breaks the
     *     protocol, once the retries are used up
     * @throws rtunnel.auth.KeyFileException when the known_hosts file cannot be read or added to (never
     *     retried)
     * @throws IOException when the server cannot be reached, or the connection is lost, once the retries
     *     are used up
     */
    @Override
    public void run() throws IOException {
        Backoff backoff = new Backoff(random, settings.maxBackoff());
        int failures = 0;
        try {
            while (true) {
                ServerConnection connection = newConnection();
                if (connection == null) {
                    return;
                }
                long started = System.nanoTime();
                IOException failure = attempt(connection);
                if (failure == null) {
                    return;
                }
                boolean lasted = connection.established()
                        && System.nanoTime() - started >= LASTING_SESSION.toNanos();
                if (lasted) {
                    backoff.reset();
                    failures = 0;
                }
                failures++;
                if (settings.maxRetries() != ClientSettings.FOREVER && failures > settings.maxRetries()) {
                    throw failure;
                }
                Duration delay = rotation.failed(lasted) ? backoff.next() : Duration.ZERO;
                log.warn("{}; reconnecting to {} in {} ms (attempt {})", failure.getMessage(), rotation.current(),
                        delay.toMillis(), failures);
                events.reconnecting(failures, delay, failure.getMessage(), rotation.current());
                reconnects.increment();
                pause(delay);
            }
        } finally {
            timer.close();
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
        }
    }

    /** The client's metrics, also served on {@code /metrics} by {@link #serveMetrics}. */
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public InetSocketAddress serveMetrics(InetSocketAddress address) throws IOException {
        metricsEndpoint = MetricsEndpoint.start(address, metrics);
        return metricsEndpoint.address();
    }

    /** The next session, or null once the client is closed. */
    private ServerConnection newConnection() {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            current = new ServerConnection(settings, rotation.current(), events, threads, timer, random,
                    clientToken, boundPorts[rotation.currentIndex()],
                    meters::of);
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one session: null when it ended because of close(), else the failure to retry after. Only the
     * server's own word is final: a refusal in the protected frames after it proved its host key, or a host
     * key that is not the one this client trusts. Whatever comes before that proof (an ERROR, garbage, a
     * hang-up) anyone on the path could have sent, so it is retried like a lost connection.
     */
    private static IOException attempt(ServerConnection connection) throws IOException {
        try {
            connection.run();
            return null;
        } catch (RefusedException e) {
            // ClientHandshake lets no refusal through before the host key is proven but a busy server's
            // LIMIT at the door, which passes. A refused port or key, or a tunnel limit reached after the
            // handshake, stays refused however often we ask.
            if (e.refusal() != Refusal.LIMIT || connection.established()) {
                throw e;
            }
            return e;
        } catch (KeyFileException e) {
            // A known_hosts file that cannot be read or written stays so however often we ask.
            throw e;
        } catch (IOException e) {
            return e;
        }
    }

    /** Waits before the next attempt, unless {@link #retryNow()} or {@link #close()} cuts the wait short. */
    private void pause(Duration delay) {
        lock.lock();
        try {
            long left = delay.toNanos();
            pausing = true;
            while (!closed && !retryNow && left > 0) {
                left = wake.awaitNanos(left);
            }
            pausing = false;
            retryNow = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void retryNow() {
        lock.lock();
        try {
            retryNow = pausing;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Graceful stop: see {@link ServerConnection#shutdown(Duration)}. */
    @Override
    public void shutdown(Duration drain) {
        ServerConnection connection = stop();
        if (connection != null) {
            connection.shutdown(drain);
        }
    }

    /** Ends the session at once, closes every stream and waits for their threads. */
    @Override
    public void close() {
        ServerConnection connection = stop();
        if (connection != null) {
            connection.close();
        }
    }

    private ServerConnection stop() {
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
            return current;
        } finally {
            lock.unlock();
        }
    }
}
