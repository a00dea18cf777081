package rtunnel.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Function;
import rtunnel.metrics.TunnelMeter;
import rtunnel.protocol.Frame;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.ListenAccepted;
import rtunnel.protocol.NameAccepted;
import rtunnel.protocol.NameRequest;
import rtunnel.protocol.ListenRefused;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;
import rtunnel.protocol.StreamOpen;
import rtunnel.protocol.VisitorRules;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.SessionHandler;

/** The client's side of one session: answers to its listen requests, and visitors to connect to targets. */
final class ClientSession implements SessionHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final ClientSettings settings;
    private final HostPort server;
    /** Set by {@link #askForTunnels} before the first frame is read; then only the reader thread uses it. */
    private Multiplexer multiplexer;
    private final ClientEvents events;
    /**
     * The public port of each tunnel once the server has bound it, by tunnel id - 1. Only the session's
     * reader thread touches it: frames arrive there, and {@link #allDown} runs there once the reader stops.
     */
    private final int[] boundPorts;
    /** The port each tunnel asked for in this session (a -f 0 tunnel: the port it last held here, or 0). */
    private final int[] askedPorts;
    /** The full host name each tunnel by name owns in this session, or null. */
    private final String[] names;
    /** Each tunnel's last public port on this server, across sessions (0: none yet). */
    private final AtomicIntegerArray lastPorts;
    private final Function<String, TunnelMeter> meters;
    /** Each tunnel's target, working or failing, by tunnel id - 1. */
    private final TargetHealth[] targets;

    /** The client's side of a session with {@code server}, one of the settings' servers. */
    ClientSession(ClientSettings settings, HostPort server, ClientEvents events, AtomicIntegerArray lastPorts,
            Function<String, TunnelMeter> meters) {
        this.settings = settings;
        this.server = server;
        this.events = events;
        this.boundPorts = new int[settings.tunnels().size()];
        this.askedPorts = new int[settings.tunnels().size()];
        this.names = new String[settings.tunnels().size()];
        this.lastPorts = lastPorts;
        this.meters = meters;
        this.targets = new TargetHealth[settings.tunnels().size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = new TargetHealth();
        }
    }

    @Override
    public void onFrame(Frame frame) throws IOException {
        switch (frame.type()) {
            case LISTEN_OK -> accepted(ListenAccepted.from(frame));
            case NAME_OK -> nameAccepted(NameAccepted.from(frame));
            case LISTEN_REFUSED -> refused(ListenRefused.from(frame));
            case OPEN -> open(StreamOpen.from(frame));
            case GOAWAY -> log.info("server {} is shutting down", server);
            case ERROR -> error(SessionError.from(frame));
            default -> throw new ProtocolException("unexpected " + frame.type() + " from the server");
        }
    }

    private void accepted(ListenAccepted accepted) throws ProtocolException {
        TunnelSpec spec = tunnel(accepted.tunnelId());
        int index = accepted.tunnelId() - 1;
        if (boundPorts[index] != 0) {
            throw new ProtocolException("a second LISTEN_OK for tunnel " + accepted.tunnelId());
        }
        boundPorts[index] = accepted.bound().port();
        lastPorts.set(index, accepted.bound().port());
        log.info("tunnel {}: server listens on {}, relaying to {}", accepted.bound().port(), accepted.bound(),
                spec.target());
        events.tunnelUp(spec, remote(accepted.bound().port()));
    }

    /** A tunnel by name is up: its visitors' streams count under the server's HTTP (or else HTTPS) port. */
    private void nameAccepted(NameAccepted accepted) throws ProtocolException {
        TunnelSpec spec = tunnel(accepted.tunnelId());
        int index = accepted.tunnelId() - 1;
        int port = accepted.httpPort() != 0 ? accepted.httpPort() : accepted.httpsPort();
        if (!spec.isNamed() || boundPorts[index] != 0 || port == 0) {
            throw new ProtocolException("unexpected NAME_OK for tunnel " + accepted.tunnelId());
        }
        boundPorts[index] = port;
        names[index] = accepted.name();
        log.info("name {}: server routes its visitors here, relaying to {}", accepted.name(), spec.target());
        events.nameUp(spec, accepted);
    }

    /**
     * Reports every tunnel that was up as down, once: the session ended for {@code reason}. Called on the
     * reader's thread after it stopped reading, so no LISTEN_OK can come after it.
     */
    void allDown(String reason) {
        for (int i = 0; i < boundPorts.length; i++) {
            int port = boundPorts[i];
            boundPorts[i] = 0;
            if (port != 0) {
                events.tunnelDown(settings.tunnels().get(i), names[i] == null ? remote(port)
                        : new HostPort(names[i], port), reason);
            }
        }
    }

    /** A public address as this client knows it: the server's host as given to -c, and the bound port. */
    private HostPort remote(int port) {
        return new HostPort(server.host(), port);
    }

    /**
     * Asks for every tunnel. A -f 0 tunnel asks for the port it last held on this server, so that its public
     * address survives a reconnect. Called on the session's reader thread before it starts reading, with the
     * multiplexer the session's streams open on.
     */
    void askForTunnels(Multiplexer mux) {
        multiplexer = mux;
        for (int i = 0; i < askedPorts.length; i++) {
            VisitorRules rules = settings.tunnels().get(i).rules();
            if (rules.isSet()) {
                // Before the tunnel's request: the server applies them from its first visitor on.
                multiplexer.send(rules.forTunnel(i + 1).toFrame());
            }
            if (settings.tunnels().get(i).isNamed()) {
                multiplexer.send(new NameRequest(i + 1, settings.tunnels().get(i).hostname()).toFrame());
                continue;
            }
            HostPort remote = settings.tunnels().get(i).remote();
            askedPorts[i] = remote.port() == 0 ? lastPorts.get(i) : remote.port();
            multiplexer.send(new ListenRequest(i + 1, new HostPort(remote.host(), askedPorts[i])).toFrame());
        }
    }

    private void refused(ListenRefused refused) throws IOException {
        TunnelSpec spec = tunnel(refused.tunnelId());
        int index = refused.tunnelId() - 1;
        if (spec.isNamed()) {
            throw new RefusedException(refused.refusal(), "server refused name " + spec.hostname(), refused.reason());
        }
        if (spec.remote().port() == 0 && askedPorts[index] != 0 && refused.refusal().isAboutPort()) {
            // The user asked for any port; the one it had is gone (taken meanwhile, or now out of range).
            log.info("tunnel {}: {}; asking for any free port instead", askedPorts[index], refused.reason());
            askedPorts[index] = 0;
            lastPorts.set(index, 0);
            multiplexer.send(new ListenRequest(refused.tunnelId(), spec.remote()).toFrame());
            return;
        }
        throw new RefusedException(refused.refusal(), "server refused port " + spec.remote().port(),
                refused.reason());
    }

    private void error(SessionError error) throws IOException {
        if (error.refusal() != null) {
            throw new RefusedException(error.refusal(), "server refused the client", error.reason());
        }
        throw new ProtocolException("server reported: " + error.reason());
    }

    private void open(StreamOpen open) throws ProtocolException {
        TunnelSpec spec = tunnel(open.tunnelId());
        int port = boundPorts[open.tunnelId() - 1];
        if (port == 0) {
            throw new ProtocolException("OPEN for tunnel " + open.tunnelId() + " before its LISTEN_OK");
        }
        String visitor = open.visitor().getAddress().getHostAddress() + ":" + open.visitor().getPort();
        log.debug("tunnel {}: visitor {} on stream {}", port, visitor, open.streamId());
        // The public address as this client knows it: the -c host (if an IP literal) and the bound port.
        byte[] header = ProxyHeader.encode(spec.proxy(), open.visitor(),
                ProxyHeader.destination(server.host(), port, open.visitor().getAddress()));
        String name = names[open.tunnelId() - 1];
        TunnelMeter meter = meters.apply(name != null ? name : Integer.toString(port));
        multiplexer.acceptStream(open, () -> connect(open.tunnelId() - 1, port, visitor, header), Integer.toString(port),
                meter.streamOpened(), meter);
    }

    /**
     * Connects to tunnel {@code tunnel}'s target (by id - 1) and sends it {@code header} (the PROXY header, or nothing) before any
     * relaying; says once when the target starts failing and once when it works again.
     */
    private Socket connect(int tunnel, int port, String visitor, byte[] header) throws IOException {
        TunnelSpec spec = settings.tunnels().get(tunnel);
        HostPort target = spec.target();
        TargetHealth health = targets[tunnel];
        Socket socket = new Socket();
        String step = "connect to";
        try {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) settings.timeout().toMillis());
            socket.setTcpNoDelay(true);
            if (header.length > 0) {
                step = "send the PROXY header to";
                socket.getOutputStream().write(header);
                socket.getOutputStream().flush();
            }
        } catch (IOException e) {
            socket.close();
            log.warn("tunnel {}: visitor {}: cannot {} {}: {}", port, visitor, step, target, e.getMessage());
            if (health.failed()) {
                events.targetFailing(spec, remote(port), e.getMessage());
            }
            throw new IOException("cannot " + step + " " + target + ": " + e.getMessage(), e);
        }
        if (health.worked()) {
            events.targetBack(spec, remote(port));
        }
        return socket;
    }

    private TunnelSpec tunnel(int tunnelId) throws ProtocolException {
        if (tunnelId < 1 || tunnelId > settings.tunnels().size()) {
            throw new ProtocolException("unknown tunnel id " + tunnelId);
        }
        return settings.tunnels().get(tunnelId - 1);
    }
}
