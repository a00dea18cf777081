package rtunnel.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.ClientHandshake;
import rtunnel.auth.FrameExchange;
import rtunnel.auth.SshPublicKey;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenRequest;
import rtunnel.relay.ControlWriter;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SocketThreads;

/** Connects to an rtunnel server, asks for the tunnels, and relays every visitor to its target. */
public final class TunnelClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);

    /** Buffer on each side of the control socket: one full frame, so bulk frames go out in one write. */
    private static final int CONTROL_BUFFER_BYTES = 64 * 1024 + 64;

    private final ClientSettings settings;
    private final ClientEvents events;
    private final SocketThreads threads;
    private final SecureRandom random = new SecureRandom();
    private final byte[] clientToken = new byte[ClientHello.TOKEN_LENGTH];
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Socket socket;
    private volatile Multiplexer multiplexer;

    public TunnelClient(ClientSettings settings, ClientEvents events) {
        this(settings, events, new SocketThreads());
    }

    public TunnelClient(ClientSettings settings, ClientEvents events, SocketThreads threads) {
        this.settings = settings;
        this.events = events;
        this.threads = threads;
        random.nextBytes(clientToken);
    }

    /**
     * Connects, asks for every tunnel and relays until the session ends. Returns normally only after
     * {@link #close()}.
     *
     * @throws rtunnel.protocol.RefusedException when the server refuses a port or the client's key
     * @throws rtunnel.protocol.ProtocolException when the peer is not an rtunnel server or breaks the protocol
     * @throws IOException when the server cannot be reached or the connection is lost
     */
    public void run() throws IOException {
        try {
            session();
        } catch (IOException e) {
            if (!closed.get()) {
                throw e;
            }
        } finally {
            closeSession();
        }
    }

    private void session() throws IOException {
        Socket connection = connect();
        FrameReader reader = new FrameReader(new BufferedInputStream(connection.getInputStream(), CONTROL_BUFFER_BYTES));
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(connection.getOutputStream(), CONTROL_BUFFER_BYTES));
        SshPublicKey serverKey = new ClientHandshake(random, clientToken, settings.identity(),
                settings.serverFingerprint()).run(new FrameExchange(reader, writer));
        log.info("server {} proved host key {}", settings.server(), serverKey.fingerprint());
        events.serverIdentified(settings.server(), serverKey.fingerprint());
        connection.setSoTimeout(0);
        ControlWriter controlWriter = new ControlWriter(writer, this::writeFailed);
        Multiplexer mux = new Multiplexer("server " + settings.server(), connection, reader, controlWriter, threads);
        ClientSession session = new ClientSession(settings, mux, events);
        mux.handleSessionFramesWith(session);
        multiplexer = mux;
        if (closed.get()) {
            return;
        }
        controlWriter.start(threads, "rtunnel-control-" + settings.server() + "-write");
        log.info("connected to {}", settings.server());
        for (int i = 0; i < settings.tunnels().size(); i++) {
            mux.send(new ListenRequest(i + 1, settings.tunnels().get(i).remote()).toFrame());
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

    private void writeFailed(IOException e) {
        if (!closed.get()) {
            log.warn("writing to {} failed: {}", settings.server(), e.getMessage());
        }
        closeSession();
    }

    private void closeSession() {
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

    /** Ends the session, closes every stream and waits for their threads. */
    @Override
    public void close() {
        closed.set(true);
        closeSession();
    }
}
