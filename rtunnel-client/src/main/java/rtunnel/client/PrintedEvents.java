package rtunnel.client;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import rtunnel.cli.JsonEvent;
import rtunnel.protocol.HostPort;

/**
 * What the client command prints, in one of three {@link Style}s. Human: one stdout line per tunnel that
 * comes up (scripts wait for it), and on stderr the server's host key (when first seen or changed) and each
 * reconnect. Quiet: only the reconnects. JSON: every event, tunnels going down included, as one JSON object
 * a line on stdout. Events come from several threads; each line is printed whole.
 */
final class PrintedEvents implements ClientEvents {

    /** How events are printed: {@code --quiet} and {@code --json} choose the last two. */
    enum Style { HUMAN, QUIET, JSON }

    private final ClientSettings settings;
    private final Style style;
    private final PrintWriter out;
    private final PrintWriter err;
    private String lastFingerprint;

    PrintedEvents(ClientSettings settings, Style style, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.style = style;
        this.out = out;
        this.err = err;
    }

    @Override
    public synchronized void tunnelUp(TunnelSpec spec, HostPort remote) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("tunnel_up").with("remote", remote.toString())
                    .with("target", spec.target().toString()));
        } else if (style == Style.HUMAN) {
            print(out, ClientMain.NAME + ": " + remote + " -> " + spec.target());
        }
    }

    /** JSON only: the human reconnect line already says the session ended. */
    @Override
    public synchronized void tunnelDown(TunnelSpec spec, HostPort remote, String reason) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("tunnel_down").with("remote", remote.toString())
                    .with("target", spec.target().toString()).with("reason", reason));
        }
    }

    /** Human: printed when first seen or changed; JSON: after every handshake. */
    @Override
    public synchronized void serverIdentified(HostPort server, String fingerprint) {
        if (style == Style.JSON) {
            print(out, JsonEvent.named("server_identified").with("server", server.toString())
                    .with("hostKey", fingerprint));
        } else if (style == Style.HUMAN && !fingerprint.equals(lastFingerprint)) {
            print(err, ClientMain.NAME + ": server " + server + " host key " + fingerprint);
            lastFingerprint = fingerprint;
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

    private static void print(PrintWriter writer, Object line) {
        writer.println(line);
        writer.flush();
    }
}
