package rtunnel.client;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import rtunnel.protocol.HostPort;

/**
 * What the client command prints: one stdout line per tunnel that comes up (scripts wait for it), and on
 * stderr the server's host key (when first seen or changed) and each reconnect.
 */
final class PrintedEvents implements ClientEvents {

    private final ClientSettings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private String lastFingerprint;

    PrintedEvents(ClientSettings settings, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    @Override
    public void tunnelUp(TunnelSpec spec, HostPort bound) {
        out.println(ClientMain.NAME + ": " + new HostPort(settings.server().host(), bound.port()) + " -> "
                + spec.target());
        out.flush();
    }

    @Override
    public void serverIdentified(HostPort server, String fingerprint) {
        if (!fingerprint.equals(lastFingerprint)) {
            err.println(ClientMain.NAME + ": server " + server + " host key " + fingerprint);
            err.flush();
            lastFingerprint = fingerprint;
        }
    }

    @Override
    public void reconnecting(int attempt, Duration delay, String reason) {
        err.println(ClientMain.NAME + ": " + reason + "; reconnecting in " + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0)
                + " s (attempt " + attempt + ")");
        err.flush();
    }
}
