package rtunnel.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.ClientHandshake;
import rtunnel.auth.FrameExchange;
import rtunnel.auth.SshPublicKey;
import rtunnel.metrics.TunnelMeter;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.HostPort;
import rtunnel.relay.ControlConnection;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Timer;
import rtunnel.relay.WindowBudget;

/** One session with the server: connect, handshake, ask for the tunnels, relay until the connection ends. */
final class ServerConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

    /** How long a shutdown waits for its GOAWAY frame to be written. */
    private static final long GOAWAY_DRAIN_MILLIS = 1_000;

    /** How often a draining shutdown looks whether the last stream has finished. */
    private static final long DRAIN_POLL_NANOS = 20_000_000;

    private final ClientSettings settings;
    private final HostPort server;
    private final ClientEvents events;
    private final SocketThreads threads;
    private final Timer timer;
    private final SecureRandom random;
    private final byte[] clientToken;
    private final AtomicIntegerArray boundPorts;
    private final Function<String, TunnelMeter> meters;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Socket socket;
    private volatile ControlConnection connection;
    private volatile ClientSession session;
    private volatile boolean established;

    /**
     * A session with {@code server}, one of the settings' servers. {@code boundPorts} holds each tunnel's last
     * public port on that server (0: none), asked for again when 0 was asked.
     */
    ServerConnection(ClientSettings settings, HostPort server, ClientEvents events, SocketThreads threads,
            Timer timer, SecureRandom random, byte[] clientToken, AtomicIntegerArray boundPorts,
            Function<String, TunnelMeter> meters) {
        this.settings = settings;
        this.server = server;
        this.events = events;
        this.threads = threads;
        this.timer = timer;
        this.random = random;
        this.clientToken = clientToken;
        this.boundPorts = boundPorts;
        this.meters = meters;
    }

    /**
     * Runs the session until it ends. Returns normally only after {@link #close()}.
     *
     * @throws IOException why the session ended: refused, a protocol error, or the connection lost
     */
    void run() throws IOException {
        String ended = "client stopping";
        try {
            relay();
        } catch (IOException e) {
            if (closed.get()) {
                return;
            }
            ControlConnection conn = connection;
            String reason = conn == null ? null : conn.endReason();
            IOException failure = reason == null ? e : new SocketException("server " + server + ": " + reason);
            ended = failure.getMessage();
            throw failure;
        } finally {
            close();
            release();
            ClientSession tunnels = session;
            if (tunnels != null) {
                tunnels.allDown(ended);
            }
        }
    }

    /** Whether the handshake succeeded (a LIMIT refusal before it is a busy server's door, and passes). */
    boolean established() {
        return established;
    }

    private void relay() throws IOException {
        Socket connected = connect();
        ControlConnection conn = new ControlConnection(connected, "server " + server, threads, new WindowBudget(),
                reason -> log.debug("session with {} ended: {}", server, reason));
        connection = conn;
        if (closed.get()) {
            return;
        }
        ClientHandshake.Authenticated handshake = new ClientHandshake(random, clientToken, settings.identities(),
                HostKeyTrust.of(settings, server, events), settings.protections())
                .run(new FrameExchange(conn.reader(), conn.writer()));
        connected.setSoTimeout(0);
        SshPublicKey serverKey = handshake.serverKey();
        log.info("connected to {}, host key {}", server, serverKey.fingerprint());
        events.serverIdentified(server, serverKey.fingerprint());
        if (handshake.accepted() != null) {
            log.info("server {} accepted key {} after refusing {}", server, handshake.accepted().describe(),
                    handshake.refusals());
            events.keyAccepted(server, handshake.accepted(), handshake.refusals().size());
        }
        Duration timeout = settings.timeout();
        ClientSession tunnels = new ClientSession(settings, server, events, boundPorts, meters);
        Multiplexer mux = conn.start(tunnels, timeout.dividedBy(2), timeout, timer);
        established = true;
        session = tunnels;
        tunnels.askForTunnels(mux);
        conn.run();
        throw new SocketException("server " + server + " closed the connection");
    }

    /**
     * Connects to the server, trying each address its name has (looked up again now) in the order the
     * resolver gives them, as ssh does, each for up to the timeout.
     */
    private Socket connect() throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(server.host());
        } catch (UnknownHostException e) {
            throw new IOException("cannot reach server " + server + ": unknown host " + server.host(), e);
        }
        int timeout = (int) settings.timeout().toMillis();
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket connection = new Socket();
            socket = connection;
            if (closed.get()) {
                connection.close();
                throw new SocketException("client stopping");
            }
            try {
                connection.connect(new InetSocketAddress(address, server.port()), timeout);
                connection.setTcpNoDelay(true);
                connection.setSoTimeout(timeout);
                return connection;
            } catch (IOException e) {
                connection.close();
                log.debug("cannot reach server {} at {}: {}", server, address.getHostAddress(), e.getMessage());
                last = e;
            }
        }
        String tried = addresses.length == 1 ? "" : " (tried " + addresses.length + " addresses)";
        throw new IOException("cannot reach server " + server + tried + ": " + last.getMessage(), last);
    }

    /**
     * Graceful stop: tells the server (which closes this client's public ports at once) and lets open
     * streams finish for up to {@code drain}, then closes.
     */
    void shutdown(Duration drain) {
        ControlConnection conn = connection;
        if (conn != null && established && !closed.get()) {
            conn.send(Frame.empty(FrameType.GOAWAY, 0));
            long deadline = System.nanoTime() + drain.toNanos();
            while (System.nanoTime() - deadline < 0 && conn.openStreams() > 0) {
                LockSupport.parkNanos(DRAIN_POLL_NANOS);
            }
            // Let the GOAWAY leave before the connection closes, so the server frees our ports at once.
            conn.drain(GOAWAY_DRAIN_MILLIS);
        }
        close();
    }

    /** Ends the session at once: every stream, the connection and their threads. */
    @Override
    public void close() {
        closed.set(true);
        ControlConnection conn = connection;
        if (conn != null) {
            conn.end("client stopping");
        }
        Socket connected = socket;
        if (connected != null) {
            try {
                connected.close();
            } catch (IOException e) {
                log.debug("closing the control connection failed: {}", e.getMessage());
            }
        }
    }

    /** Waits for the session's streams and threads once it has ended; called by the thread that ran it. */
    private void release() {
        ControlConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }
}
