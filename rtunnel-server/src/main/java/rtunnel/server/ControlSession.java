package rtunnel.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.FrameExchange;
import rtunnel.auth.HandshakeResult;
import rtunnel.auth.ServerHandshake;
import rtunnel.policy.PortPolicy;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenAccepted;
import rtunnel.protocol.ListenRefused;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;
import rtunnel.relay.ControlWriter;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SessionHandler;

/** One client's control connection on the server: handshake, its tunnels' listeners, and its streams. */
final class ControlSession implements SessionHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

    /** Buffer on each side of the control socket: one full frame, so bulk frames go out in one write. */
    static final int CONTROL_BUFFER_BYTES = 64 * 1024 + 64;

    /** A client that has not finished its handshake by then is dropped, so silent peers cannot pile up. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** How long a session ending in a protocol error waits for its ERROR frame to be written. */
    private static final long ERROR_DRAIN_MILLIS = 1_000;

    /** More tunnels than this on one client is refused: each one holds a public port. */
    static final int MAX_TUNNELS_PER_CLIENT = 64;

    private final Socket socket;
    private final String client;
    private final SessionSetup setup;
    private final Map<Integer, PublicListener> listeners = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Multiplexer multiplexer;
    private volatile ControlWriter controlWriter;
    private volatile HandshakeResult identity;
    private volatile PortPolicy ports;

    ControlSession(Socket socket, SessionSetup setup) {
        this.socket = socket;
        this.client = socket.getRemoteSocketAddress().toString().replaceFirst("^.*/", "");
        this.setup = setup;
    }

    String client() {
        return client;
    }

    /** Serves the client until its connection ends; never throws. */
    void run() {
        try {
            serve();
        } catch (RefusedException e) {
            log.warn("client {}: refused: {}", client, e.reason());
        } catch (ProtocolException e) {
            log.warn("client {}: protocol error: {}", client, e.getMessage());
        } catch (SocketException e) {
            if (!closed.get()) {
                log.info("client {}: connection lost: {}", client, e.getMessage());
            }
        } catch (IOException e) {
            log.warn("client {}: {}", client, e.getMessage());
        } catch (RuntimeException e) {
            log.error("client {}: internal error", client, e);
        } finally {
            close();
        }
    }

    private void serve() throws IOException {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream(), CONTROL_BUFFER_BYTES));
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), CONTROL_BUFFER_BYTES));
        HandshakeResult result = new ServerHandshake(setup.random(), setup.hostKey(), setup.admission())
                .run(new FrameExchange(reader, writer));
        identity = result;
        ports = result.authorized() == null ? PortPolicy.of(setup.ports())
                : PortPolicy.of(setup.ports()).narrowedTo(result.authorized().permitListen());
        socket.setSoTimeout(0);
        ControlWriter controlWriter = new ControlWriter(writer, this::writeFailed);
        this.controlWriter = controlWriter;
        Multiplexer mux = new Multiplexer("client " + client, socket, reader, controlWriter, setup.threads());
        mux.handleSessionFramesWith(this);
        multiplexer = mux;
        if (closed.get()) {
            return;
        }
        controlWriter.start(setup.threads(), "rtunnel-control-" + client + "-write");
        log.info("client {}: connected{}", client, result.clientKey() == null ? " without a key"
                : " with key " + result.clientKey().fingerprint()
                        + (result.authorized() == null ? "" : " (" + result.authorized().source() + ")"));
        try {
            mux.run();
            log.info("client {}: disconnected", client);
        } catch (ProtocolException e) {
            mux.send(new SessionError(null, e.getMessage()).toFrame());
            drain(controlWriter);
            throw e;
        }
    }

    /** Gives the ERROR frame a moment to leave before the connection closes. */
    private static void drain(ControlWriter controlWriter) {
        try {
            controlWriter.drainAndClose(ERROR_DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the session if its key is no longer admitted (removed from or revoked in the authorized keys).
     */
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
            mux.send(new SessionError(e.refusal(), e.reason()).toFrame());
            drain(controlWriter);
            close();
        }
    }

    private void writeFailed(IOException e) {
        if (!closed.get()) {
            log.info("client {}: writing failed: {}", client, e.getMessage());
        }
        close();
    }

    @Override
    public void onFrame(Frame frame) throws IOException {
        switch (frame.type()) {
            case LISTEN -> listen(ListenRequest.from(frame));
            case GOAWAY -> log.info("client {}: going away", client);
            case ERROR -> throw new IOException("client reported: " + SessionError.from(frame).reason());
            default -> throw new ProtocolException("unexpected " + frame.type() + " from a client");
        }
    }

    private void listen(ListenRequest request) throws ProtocolException {
        HostPort asked = request.address();
        if (listeners.containsKey(request.tunnelId())) {
            throw new ProtocolException("LISTEN reuses tunnel id " + request.tunnelId());
        }
        if (listeners.size() >= MAX_TUNNELS_PER_CLIENT) {
            refuse(request, Refusal.LIMIT, "at most " + MAX_TUNNELS_PER_CLIENT + " tunnels per client");
            return;
        }
        ServerSocket bound;
        try {
            bound = setup.binder().bind(asked, ports);
        } catch (RefusedException e) {
            refuse(request, e.refusal(), e.reason());
            return;
        }
        PublicListener listener = new PublicListener(bound, request.tunnelId(), multiplexer, client);
        listeners.put(request.tunnelId(), listener);
        if (closed.get()) {
            listener.close();
            return;
        }
        listener.start(setup.threads());
        HostPort real = new HostPort(asked.host(), listener.port());
        multiplexer.send(new ListenAccepted(request.tunnelId(), real).toFrame());
        log.info("tunnel {}: listening on {} for client {}", listener.port(), real, client);
    }

    private void refuse(ListenRequest request, Refusal refusal, String reason) {
        log.warn("tunnel {}: refused client {}: {}", request.address().port(), client, reason);
        multiplexer.send(new ListenRefused(request.tunnelId(), refusal, reason).toFrame());
    }

    /** Releases the client's public ports at once, then ends its streams and connection. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (PublicListener listener : listeners.values()) {
            listener.close();
            log.info("tunnel {}: closed (client {} gone)", listener.port(), client);
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
