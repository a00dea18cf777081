package rtunnel.server;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Locale;
import rtunnel.cli.AddressText;
import rtunnel.cli.ClassDataRecording;
import rtunnel.cli.JsonEvent;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;

/**
 * What the server command prints. Human: where it listens (stdout) and its host key (stderr), and nothing
 * more: the log tells the rest. Either way, an open server (no -a) is warned about on stderr first. JSON: every event as one JSON object a line on stdout. Each line is printed
 * whole, whichever session's thread reports it.
 */
final class PrintedServerEvents implements ServerEvents {

    private final boolean json;
    private final boolean open;
    private final PrintWriter out;
    private final PrintWriter err;

    /** {@code open}: the server admits any client (no -a). */
    PrintedServerEvents(boolean json, boolean open, PrintWriter out, PrintWriter err) {
        this.json = json;
        this.open = open;
        this.out = out;
        this.err = err;
    }

    /** Also the end of the start-up: what the JVM loaded so far is worth keeping (ClassDataRecording). */
    @Override
    public synchronized void listening(InetSocketAddress control, String hostKeyFingerprint) {
        ClassDataRecording.keep();
        String address = AddressText.of(control);
        if (open) {
            // Said at every log level: an open server is a choice the operator must see.
            print(err, ServerMain.NAME + ": warning: no -a/--authorized-keys: any client may connect and open ports");
        }
        if (json) {
            print(out, JsonEvent.named("listening").with("address", address).with("hostKey", hostKeyFingerprint));
        } else {
            print(err, ServerMain.NAME + ": host key " + hostKeyFingerprint);
            print(out, ServerMain.NAME + ": listening for clients on " + address);
        }
    }

    @Override
    public synchronized void sshListening(InetSocketAddress address) {
        if (json) {
            print(out, JsonEvent.named("ssh_listening").with("address", AddressText.of(address)));
        } else {
            print(out, ServerMain.NAME + ": listening for ssh clients on " + AddressText.of(address));
        }
    }

    /** Its real address, which a script needs when it asked for port 0. */
    @Override
    public synchronized void metricsListening(InetSocketAddress address) {
        if (json) {
            print(out, JsonEvent.named("metrics_listening").with("address", AddressText.of(address)));
        } else {
            print(out, ServerMain.NAME + ": serving metrics on http://" + AddressText.of(address) + "/metrics");
        }
    }

    @Override
    public synchronized void webListening(InetSocketAddress address, boolean tls) {
        if (json) {
            print(out, JsonEvent.named("web_listening").with("address", AddressText.of(address))
                    .with("scheme", tls ? "https" : "http"));
        } else {
            print(out, ServerMain.NAME + ": listening for " + (tls ? "HTTPS" : "HTTP") + " visitors on "
                    + AddressText.of(address));
        }
    }

    @Override
    public synchronized void clientConnected(String client, String keyFingerprint) {
        if (json) {
            print(out, JsonEvent.named("client_connected").with("client", client).with("key", keyFingerprint));
        }
    }

    @Override
    public synchronized void tunnelUp(HostPort bound, String client) {
        if (json) {
            print(out, JsonEvent.named("tunnel_up").with("port", bound.port()).with("address", bound.toString())
                    .with("client", client));
        }
    }

    @Override
    public synchronized void tunnelDown(int port, String client, String reason) {
        if (json) {
            print(out, JsonEvent.named("tunnel_down").with("port", port).with("client", client)
                    .with("reason", reason));
        }
    }

    @Override
    public synchronized void nameUp(String name, String client) {
        if (json) {
            print(out, JsonEvent.named("name_up").with("name", name).with("client", client));
        }
    }

    @Override
    public synchronized void nameDown(String name, String client, String reason) {
        if (json) {
            print(out, JsonEvent.named("name_down").with("name", name).with("client", client).with("reason", reason));
        }
    }

    @Override
    public synchronized void clientDisconnected(String client, String reason) {
        if (json) {
            print(out, JsonEvent.named("client_disconnected").with("client", client).with("reason", reason));
        }
    }

    @Override
    public synchronized void keyRefused(String client, String reason) {
        if (json) {
            print(out, JsonEvent.named("key_refused").with("client", client).with("reason", reason));
        }
    }

    @Override
    public synchronized void clientRefused(String client, Refusal refusal, String reason) {
        if (json) {
            print(out, JsonEvent.named("client_refused").with("client", client).with("refusal", name(refusal))
                    .with("reason", reason));
        }
    }

    @Override
    public synchronized void portRefused(HostPort asked, String client, Refusal refusal, String reason) {
        if (json) {
            print(out, JsonEvent.named("port_refused").with("port", asked.port()).with("address", asked.toString())
                    .with("client", client).with("refusal", name(refusal)).with("reason", reason));
        }
    }

    @Override
    public synchronized void nameRefused(String name, String client, Refusal refusal, String reason) {
        if (json) {
            print(out, JsonEvent.named("name_refused").with("name", name).with("client", client)
                    .with("refusal", name(refusal)).with("reason", reason));
        }
    }

    /** A refusal as scripts read it, the same word as the metrics' reason label. */
    private static String name(Refusal refusal) {
        return refusal.name().toLowerCase(Locale.ROOT);
    }

    private static void print(PrintWriter writer, Object line) {
        writer.println(line);
        writer.flush();
    }
}
