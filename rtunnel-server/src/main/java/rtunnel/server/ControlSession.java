package rtunnel.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.FrameExchange;
import rtunnel.auth.HandshakeResult;
import rtunnel.auth.ServerHandshake;
import rtunnel.policy.ListenPolicy;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;
import rtunnel.relay.ControlWriter;
import rtunnel.relay.KeepAlive;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SessionHandler;

/** One client's control connection on the server: handshake, its tunnels, its streams, its keep-alive. */
final class ControlSession implements SessionHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlSession.class);


    /** How long a session ending in an error waits for its ERROR frame to be written. */
    private static final long ERROR_DRAIN_MILLIS = 1_000;

    private final Socket socket;
    private final String client;
    private final SessionSetup setup;
    private final Runnable onAuthenticated;
    private final SessionTunnels tunnels;
    private final ReentrantLock listenLock = new ReentrantLock();
    private final ArrayDeque<ListenRequest> pendingListens = new ArrayDeque<>();
    private boolean listenWorkerRunning;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Why the session ended: the first reason given wins (a dead link, not the socket error it causes). */
    private final AtomicReference<String> endReason = new AtomicReference<>();
    private volatile boolean connected;
    private volatile Multiplexer multiplexer;
    private volatile ControlWriter controlWriter;
    private volatile KeepAlive keepAlive;
    private volatile HandshakeResult identity;
    private volatile ListenPolicy listening;

    /** {@code onAuthenticated} runs once, when the handshake has succeeded. */
    ControlSession(Socket socket, SessionSetup setup, Runnable onAuthenticated) {
        this.socket = socket;
        this.client = socket.getRemoteSocketAddress().toString().replaceFirst("^.*/", "");
        this.setup = setup;
        this.onAuthenticated = onAuthenticated;
        this.tunnels = new SessionTunnels(this, setup);
    }

    String client() {
        return client;
    }

    /**
     * Who this client is across reconnects: its key's fingerprint on a server with authorized keys,
     * otherwise the random token the client keeps for its lifetime.
     */
    String owner() {
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
            setup.countRefusal(e.refusal());
            endReason.compareAndSet(null, "refused: " + e.reason());
        } catch (ProtocolException e) {
            log.warn("client {}: protocol error: {}", client, e.getMessage());
            endReason.compareAndSet(null, "protocol error: " + e.getMessage());
        } catch (SocketException e) {
            if (!closed.get()) {
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
        socket.setTcpNoDelay(true);
        FrameBuffers buffers = new FrameBuffers(Multiplexer.POOLED_FRAME_BUFFERS);
        FrameReader reader = new FrameReader(socket.getInputStream(), buffers);
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), Multiplexer.CONTROL_BUFFER_BYTES));
        HandshakeResult result = handshake(reader, writer);
        identity = result;
        listening = new ListenPolicy(setup.settings().ports(),
                result.authorized() == null ? List.of() : result.authorized().permitListen());
        onAuthenticated.run();
        ControlWriter writing = new ControlWriter(writer, this::writeFailed);
        Multiplexer mux = new Multiplexer("client " + client, socket, reader, writing, setup.threads(), buffers);
        mux.handleSessionFramesWith(this);
        KeepAlive alive = new KeepAlive(mux, writing, setup.settings().keepAlive(), setup.settings().deadAfter(),
                this::silent);
        controlWriter = writing;
        multiplexer = mux;
        keepAlive = alive;
        if (closed.get()) {
            return;
        }
        writing.start(setup.threads(), "rtunnel-control-" + client + "-write");
        alive.start(setup.timer());
        log.info("client {}: connected{}, frames {}", client, result.clientKey() == null ? " without a key"
                : " with key " + result.clientKey().fingerprint()
                        + (result.authorized() == null ? "" : " (" + result.authorized().source() + ")"),
                result.protection());
        connected = true;
        setup.events().clientConnected(client, result.clientKey() == null ? null : result.clientKey().fingerprint());
        try {
            mux.run();
            log.info("client {}: disconnected", client);
        } catch (ProtocolException e) {
            endReason.compareAndSet(null, "protocol error: " + e.getMessage());
            mux.send(new SessionError(null, e.getMessage()).toFrame());
            drainErrorFrame();
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
                    .run(new FrameExchange(reader, writer));
        } finally {
            deadline.cancel(false);
        }
    }

    private void silent(String reason) {
        log.warn("client {}: dead link ({}), releasing its ports", client, reason);
        end("dead link, " + reason);
    }

    @Override
    public void onFrame(Frame frame) throws IOException {
        switch (frame.type()) {
            case LISTEN -> queueListen(ListenRequest.from(frame));
            case GOAWAY -> {
                log.info("client {}: going away; closing its public ports", client);
                tunnels.stopListening("client going away");
            }
            case ERROR -> throw new IOException("client reported: " + SessionError.from(frame).reason());
            default -> throw new ProtocolException("unexpected " + frame.type() + " from a client");
        }
    }

    /**
     * Queues a LISTEN for this session's one listen worker. Binding may resolve a host name or close an
     * earlier session, so it does not run on the reader thread; one worker per session answers the requests
     * in order, so a flood of them cannot race past the tunnel limit or start a thread each.
     */
    private void queueListen(ListenRequest request) throws ProtocolException {
        listenLock.lock();
        try {
            if (pendingListens.size() >= setup.settings().limits().maxTunnelsPerClient()) {
                throw new ProtocolException("more than " + setup.settings().limits().maxTunnelsPerClient()
                        + " LISTEN requests waiting for an answer");
            }
            pendingListens.add(request);
            if (!listenWorkerRunning) {
                listenWorkerRunning = true;
                setup.threads().start("rtunnel-listen-requests-" + client, this::answerListens);
            }
        } finally {
            listenLock.unlock();
        }
    }

    private void answerListens() {
        while (true) {
            ListenRequest request;
            listenLock.lock();
            try {
                request = pendingListens.poll();
                if (request == null) {
                    listenWorkerRunning = false;
                    return;
                }
            } finally {
                listenLock.unlock();
            }
            tunnels.listen(request, listening, multiplexer);
        }
    }

    /** Server shutdown, first step: no new visitors; tell the client. Open streams go on. */
    void goAway() {
        tunnels.stopListening("server stopping");
        Multiplexer mux = multiplexer;
        if (mux != null) {
            mux.send(Frame.empty(FrameType.GOAWAY, 0));
        }
    }

    /** Streams open right now. */
    int openStreams() {
        Multiplexer mux = multiplexer;
        return mux == null ? 0 : mux.openStreams();
    }

    /** Ends the session if its key is no longer admitted (removed from or revoked in the authorized keys). */
    void recheck(ClientAdmission admission) {
        HandshakeResult result = identity;
        Multiplexer mux = multiplexer;
        if (result == null || mux == null || closed.get()) {
            return;
        }
        try {
            admission.admit(result.clientKey());
        } catch (RefusedException e) {
            log.warn("client {}: closing: {}", client, e.reason());
            endReason.compareAndSet(null, "key no longer admitted: " + e.reason());
            mux.send(new SessionError(e.refusal(), e.reason()).toFrame());
            drainErrorFrame();
            close();
        }
    }

    /** Gives an ERROR frame a moment to leave before the connection closes. */
    private void drainErrorFrame() {
        try {
            controlWriter.drainAndClose(ERROR_DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeFailed(IOException e) {
        if (!closed.get()) {
            log.info("client {}: writing failed: {}", client, e.getMessage());
        }
        end("writing failed: " + e.getMessage());
    }

    /**
     * Ends the session for {@code reason} (unless it already ended for another): releases the client's
     * public ports at once, then ends its streams and connection.
     */
    void end(String reason) {
        endReason.compareAndSet(null, reason);
        close();
    }

    /** Ends the session; without a reason given before, the server is stopping. */
    @Override
    public void close() {
        endReason.compareAndSet(null, "server stopping");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        tunnels.stopListening(endReason.get());
        KeepAlive alive = keepAlive;
        if (alive != null) {
            alive.close();
        }
        Multiplexer mux = multiplexer;
        if (mux != null) {
            mux.close();
        }
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("client {}: closing the control socket failed: {}", client, e.getMessage());
        }
    }
}
