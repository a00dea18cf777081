package rtunnel.client;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import rtunnel.auth.ClientIdentity;
import rtunnel.cli.AddressText;
import rtunnel.cli.ClassDataRecording;
import rtunnel.cli.JsonEvent;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.NameAccepted;

/**
 * What the client command prints, in one of three {@link Style}s. Human: one stdout line per tunnel that
 * comes up (scripts wait for it), and on stderr a server's host key when it is first recorded in known_hosts,
 * each reconnect, and a target that starts failing or works again. Quiet: only the reconnects and targets. JSON: every event, tunnels going down included, as one JSON
 * object a line on stdout. Events come from several threads; each line is printed whole. With
 * {@code --all-servers} there is one printer per server ({@link #forServer}), and its lines name the server.
 */
final class PrintedEvents implements ClientEvents {

    /** How events are printed: {@code --quiet} and {@code --json} choose the last two. */
    enum Style { HUMAN, QUIET, JSON }

    private final ClientSettings settings;
    private final Style style;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The one server this printer speaks for, with --all-servers; null when the client is on one at a time. */
    private final HostPort server;
    /** The key the last human line said the server accepted. */
    private String acceptedKey;

    PrintedEvents(ClientSettings settings, Style style, PrintWriter out, PrintWriter err) {
        this(settings, style, out, err, null);
    }

    private PrintedEvents(ClientSettings settings, Style style, PrintWriter out, PrintWriter err, HostPort server) {
        this.settings = settings;
        this.style = style;
        this.out = out;
        this.err = err;
        this.server = server;
    }

    /** A printer, on the same streams, for the events of {@code one} server of several held at once. */
    PrintedEvents forServer(HostPort one) {
        return new PrintedEvents(settings, style, out, err, one);
    }

    /** A JSON event, naming the server when this printer speaks for one. */
    private JsonEvent event(String name) {
        JsonEvent event = JsonEvent.named(name);
        return server == null ? event : event.with("server", server.toString());
    }

    /** The end of a human line: the server it is about, when this printer speaks for one. */
    private String onServer() {
        return server == null ? "" : " (server " + server + ")";
    }

    /** Also the end of the start-up: what the JVM loaded so far is worth keeping (ClassDataRecording). */
    @Override
    public synchronized void tunnelUp(TunnelSpec spec, HostPort remote) {
        ClassDataRecording.keep();
        if (style == Style.JSON) {
            print(out, event("tunnel_up").with("remote", remote.toString())
                    .with("target", spec.target().toString()));
        } else if (style == Style.HUMAN) {
            print(out, ClientMain.NAME + ": " + remote + " -> " + spec.target() + onServer());
        }
    }

    /** One line with the name's URLs, as the port's up line: {@code rtunnel_client: http://app.example.com -> localhost:3000}. */
    @Override
    public synchronized void nameUp(TunnelSpec spec, NameAccepted accepted) {
        List<String> urls = WebUrls.of(accepted);
        if (style == Style.JSON) {
            print(out, event("tunnel_up").with("remote", accepted.name())
                    .with("urls", String.join(" ", urls)).with("target", spec.target().toString()));
        } else if (style == Style.HUMAN) {
            print(out, ClientMain.NAME + ": " + (urls.isEmpty() ? accepted.name() : String.join(" ", urls))
                    + " -> " + spec.target() + onServer());
        }
    }

    /** JSON only: the human reconnect line already says the session ended. */
    @Override
    public synchronized void tunnelDown(TunnelSpec spec, HostPort remote, String reason) {
        if (style == Style.JSON) {
            print(out, event("tunnel_down").with("remote", remote.toString())
                    .with("target", spec.target().toString()).with("reason", reason));
        }
    }

    /**
     * Its real address, which a script needs when it asked for port 0. Human: on stderr, since stdout holds
     * the tunnels' lines only, which scripts read.
     */
    @Override
    public synchronized void metricsListening(InetSocketAddress address) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("metrics_listening").with("address", AddressText.of(address)));
        } else if (style == Style.HUMAN) {
            print(err, ClientMain.NAME + ": serving metrics on http://" + AddressText.of(address) + "/metrics");
        }
    }

    /** JSON only, after every handshake: a human sees a host key only when it is first recorded. */
    @Override
    public synchronized void serverIdentified(HostPort server, String fingerprint) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("server_identified").with("server", server.toString())
                    .with("hostKey", fingerprint));
        }
    }

    /**
     * JSON: after every handshake with a key. Human: one stderr line when the client has several
     * keys to offer and the server accepted another one than last time, so the user knows which got in.
     */
    @Override
    public synchronized void keyAccepted(HostPort server, ClientIdentity key, int refused) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("key_accepted").with("server", server.toString())
                    .with("key", key.publicKey().fingerprint()).with("origin", key.origin()).with("refused", refused));
        } else if (style == Style.HUMAN && settings.identities().size() > 1
                && !key.describe().equals(acceptedKey)) {
            acceptedKey = key.describe();
            print(err, ClientMain.NAME + ": server " + server + " accepted key " + key.describe()
                    + (refused == 0 ? "" : ", after refusing " + refused + (refused == 1 ? " key" : " keys")));
        }
    }

    /** Human: one line on stderr, as ssh says it added a host; JSON: an event; quiet: nothing. */
    @Override
    public synchronized void hostKeyRecorded(HostPort server, String fingerprint, Path file) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("host_key_recorded").with("server", server.toString())
                    .with("hostKey", fingerprint).with("file", file.toString()));
        } else if (style == Style.HUMAN) {
            print(err, ClientMain.NAME + ": first contact with server " + server + ": recorded its host key "
                    + fingerprint + " in " + file);
        }
    }

    /** Human: names the server only when there are several to go through. */
    @Override
    public synchronized void reconnecting(int attempt, Duration delay, String reason, HostPort server) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("reconnecting").with("attempt", attempt)
                    .with("delayMillis", delay.toMillis()).with("reason", reason).with("server", server.toString()));
        } else {
            String to = settings.servers().size() > 1 ? " to " + server : "";
            print(err, ClientMain.NAME + ": " + reason + "; reconnecting" + to + " in "
                    + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0) + " s (attempt " + attempt + ")");
        }
    }

    /** Human and quiet: one stderr line per outage, however many visitors it turns away; JSON: an event. */
    @Override
    public synchronized void targetFailing(TunnelSpec spec, HostPort remote, String reason) {
        if (style == Style.JSON) {
            print(out, event("target_failing").with("remote", remote.toString())
                    .with("target", spec.target().toString()).with("reason", reason));
        } else {
            print(err, ClientMain.NAME + ": " + remote + ": target " + spec.target() + " fails (" + reason
                    + "); its visitors are reset until it works again" + onServer());
        }
    }

    @Override
    public synchronized void targetBack(TunnelSpec spec, HostPort remote) {
        if (style == Style.JSON) {
            print(out, event("target_back").with("remote", remote.toString())
                    .with("target", spec.target().toString()));
        } else {
            print(err, ClientMain.NAME + ": " + remote + ": target " + spec.target() + " works again" + onServer());
        }
    }

    /** Human and quiet: one stderr line, as errors are; JSON: an event with the exit status it would have had. */
    @Override
    public synchronized void gaveUpOnServer(HostPort given, String reason, int exitCode) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("server_given_up").with("server", given.toString()).with("reason", reason)
                    .with("exitCode", exitCode));
        } else {
            print(err, ClientMain.NAME + ": giving up on server " + given + ": " + reason
                    + "; the other servers keep the tunnels");
        }
    }

    private static void print(PrintWriter writer, Object line) {
        writer.println(line);
        writer.flush();
    }
}
