package rtunnel.server;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.FrameExchange;
import rtunnel.auth.HandshakeProgress;
import rtunnel.auth.HandshakeResult;
import rtunnel.auth.ServerHandshake;
import rtunnel.policy.ListenPolicy;
import rtunnel.policy.NamePolicy;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;
import rtunnel.relay.ControlConnection;
import rtunnel.relay.Multiplexer;

/**
 * One client's control connection on the server, from accept to close: the handshake, then serving its
 * session over a {@link ControlConnection}, and why it ended. Its LISTEN requests are answered by
 * {@link ListenRequests}, its public ports held by {@link SessionTunnels}.
 */
final class ControlSession implements PortHolder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

    /** How long a session ending in an error waits for its ERROR frame to be written. */
    private static final long ERROR_DRAIN_MILLIS = 1_000;

    private final Socket socket;
    private final String client;
    private final SessionSetup setup;
    private final HandshakeProgress progress;
    private final Runnable onAuthenticated;
    private final SessionTunnels tunnels;
    private final ListenRequests listens;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Why the session ended: the first reason given wins (a dead link, not the socket error it causes). */
    private final AtomicReference<String> endReason = new AtomicReference<>();
    private volatile boolean connected;
    private volatile ControlConnection connection;
    private volatile HandshakeResult identity;

    /** {@code progress} hears the handshake move on; {@code onAuthenticated} runs once, when it has succeeded. */
    ControlSession(Socket socket, SessionSetup setup, HandshakeProgress progress, Runnable onAuthenticated) {
        this.socket = socket;
        this.client = socket.getRemoteSocketAddress().toString().replaceFirst("^.*/", "");
        this.setup = setup;
        this.progress = progress;
        this.onAuthenticated = onAuthenticated;
        this.tunnels = new SessionTunnels(this, setup);
        this.listens = new ListenRequests(tunnels, setup, client);
    }

    @Override
    public String client() {
        return client;
    }

    /**
     * Who this client is across reconnects: its key's fingerprint on a server with authorized keys,
     * otherwise the random token the client keeps for its lifetime.
     */
    @Override
    public String owner() {
        HandshakeResult result = identity;
        if (result == null) {
            return "unauthenticated " + client;
        }
        if (setup.admission().keyRequired() && result.clientKey() != null) {
            return "key " + result.clientKey().fingerprint();
        }
        return "token " + HexFormat.of().formatHex(result.clientToken());
    }

    /** Serves the client until its connection ends; never throws. */
    void run() {
        try {
            serve();
            endReason.compareAndSet(null, "client closed the connection");
        } catch (RefusedException e) {
            log.warn("client {}: refused: {}", client, e.reason());
            endReason.compareAndSet(null, "refused: " + e.reason());
            setup.clientRefused(client, e); // only the handshake refuses
        } catch (ProtocolException e) {
            log.warn("client {}: protocol error: {}", client, e.getMessage());
            endReason.compareAndSet(null, "protocol error: " + e.getMessage());
        } catch (SocketException e) {
            if (endReason.get() == null) {
                log.info("client {}: connection lost: {}", client, e.getMessage());
            }
            endReason.compareAndSet(null, "connection lost: " + e.getMessage());
        } catch (IOException e) {
            log.warn("client {}: {}", client, e.getMessage());
            endReason.compareAndSet(null, e.getMessage());
        } catch (RuntimeException e) {
            log.error("client {}: internal error", client, e);
            endReason.compareAndSet(null, "internal error");
        } finally {
            close();
            if (connected) {
                setup.events().clientDisconnected(client, endReason.get());
            }
        }
    }

    private void serve() throws IOException {
        ControlConnection conn = new ControlConnection(socket, "client " + client, setup.threads(), setup.windows().forSession(),
                this::connectionEnded);
        connection = conn;
        HandshakeResult result = handshake(conn.reader(), conn.writer());
        identity = result;
        onAuthenticated.run();
        Multiplexer mux = conn.start(new ClientFrames(client, listens, tunnels), setup.settings().keepAlive(),
                setup.settings().deadAfter(), setup.timer());
        listens.serveWith(new ListenPolicy(setup.settings().ports(),
                result.authorized() == null ? List.of() : result.authorized().permitListen()),
                result.authorized() == null ? NamePolicy.ANY : result.authorized().namePolicy(), mux);
        if (closed.get() || endReason.get() != null) {
            return;
        }
        log.info("client {}: connected{}, frames {}", client, result.clientKey() == null ? " without a key"
                : " with key " + result.clientKey().fingerprint()
                        + (result.authorized() == null ? "" : " (" + result.authorized().source() + ")"),
                result.protection());
        connected = true;
        setup.events().clientConnected(client, result.clientKey() == null ? null : result.clientKey().fingerprint());
        try {
            conn.run();
            log.info("client {}: disconnected", client);
        } catch (ProtocolException e) {
            endReason.compareAndSet(null, "protocol error: " + e.getMessage());
            conn.sendLast(new SessionError(null, e.getMessage()).toFrame(), ERROR_DRAIN_MILLIS);
            throw e;
        }
    }

    /** Runs the handshake under one overall deadline: a peer trickling a byte at a time cannot hold it open. */
    private HandshakeResult handshake(FrameReader reader, FrameWriter writer) throws IOException {
        ScheduledFuture<?> deadline = setup.timer().after(setup.settings().limits().handshakeTimeout(), () -> {
            log.warn("client {}: no handshake within {} s", client, setup.settings().limits().handshakeTimeout().toSeconds());
            end("no handshake in time");
        });
        try {
            return new ServerHandshake(setup.random(), setup.hostKey(), setup.admission(),
                    setup.settings().protections())
                    .run(new FrameExchange(reader, writer), new HandshakeWatch(progress, setup, client));
        } finally {
            deadline.cancel(false);
        }
    }

    /** The connection ended by itself (a dead link, a failed write, a peer that does not read). */
    private void connectionEnded(String reason) {
        if (endReason.compareAndSet(null, reason)) {
            log.warn("client {}: {}; releasing its ports", client, reason);
        }
        tunnels.stopListening(endReason.get());
    }

    /** Server shutdown, first step: no new visitors; tell the client. Open streams go on. */
    void goAway() {
        tunnels.stopListening("server stopping");
        ControlConnection conn = connection;
        if (conn != null && connected) {
            conn.send(Frame.empty(FrameType.GOAWAY, 0));
        }
    }

    /** Whether this session's client still answers a PING within {@code wait}: it is not a stale session. */
    @Override
    public boolean answersWithin(Duration wait) {
        ControlConnection conn = connection;
        try {
            return conn != null && connected && conn.answersWithin(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Streams open right now. */
    int openStreams() {
        ControlConnection conn = connection;
        return conn == null ? 0 : conn.openStreams();
    }

    /** Ends the session if its key is no longer admitted (removed from or revoked in the authorized keys). */
    void recheck(ClientAdmission admission) {
        HandshakeResult result = identity;
        ControlConnection conn = connection;
        if (result == null || conn == null || !connected || closed.get()) {
            return;
        }
        try {
            admission.admit(result.clientKey());
        } catch (RefusedException e) {
            log.warn("client {}: closing: {}", client, e.reason());
            endReason.compareAndSet(null, "key no longer admitted: " + e.reason());
            conn.sendLast(new SessionError(e.refusal(), e.reason()).toFrame(), ERROR_DRAIN_MILLIS);
            end(endReason.get());
        }
    }

    /**
     * Ends the session for {@code reason} (unless it already ended for another): releases the client's
     * public ports at once and closes its connection, which ends the session's own thread. Never waits for
     * that thread, so any thread may call it (a takeover, a deadline, a key reload).
     */
    @Override
    public void end(String reason) {
        endReason.compareAndSet(null, reason);
        tunnels.stopListening(endReason.get());
        ControlConnection conn = connection;
        if (conn != null) {
            conn.end(endReason.get());
        }
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("client {}: closing the control socket failed: {}", client, e.getMessage());
        }
    }

    /** Ends the session and waits for its streams; without a reason given before, the server is stopping. */
    @Override
    public void close() {
        end("server stopping");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ControlConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }
}
