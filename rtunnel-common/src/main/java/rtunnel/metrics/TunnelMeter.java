package rtunnel.metrics;

import java.util.concurrent.atomic.AtomicLong;
import rtunnel.relay.StreamMeter;

/**
 * The metrics of one tunnel (one public port): streams opened and open, and bytes each way. "in" counts
 * bytes that entered the tunnel from the local socket, "out" bytes that left it.
 */
public final class TunnelMeter implements StreamMeter {

    private final Metrics metrics;
    private final String prefix;
    private final String labelName;
    private final String label;
    private final Counter opened;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final AtomicLong open = new AtomicLong();

    /** Registers the series of {@code port} under names starting with {@code prefix} ("rtunnel_server"). */
    public TunnelMeter(Metrics metrics, String prefix, int port) {
        this(metrics, prefix, "port", Integer.toString(port));
    }

    /** Registers the series of the tunnel owning host {@code name} (on the server's web ports). */
    public TunnelMeter(Metrics metrics, String prefix, String name) {
        this(metrics, prefix, "name", name);
    }

    private TunnelMeter(Metrics metrics, String prefix, String labelName, String label) {
        this.metrics = metrics;
        this.prefix = prefix;
        this.labelName = labelName;
        this.label = label;
        this.opened = metrics.counter(prefix + "_streams_total", "Streams opened (visitors relayed).", labelName, label);
        this.bytesIn = metrics.counter(prefix + "_bytes_total", "Bytes relayed, by tunnel port and direction.",
                labelName, label, "direction", "in");
        this.bytesOut = metrics.counter(prefix + "_bytes_total", "Bytes relayed, by tunnel port and direction.",
                labelName, label, "direction", "out");
        metrics.gauge(prefix + "_streams_open", "Streams open now.", open::get, labelName, label);
    }

    /** A stream opened; the returned runnable marks it ended (call it once). */
    public Runnable streamOpened() {
        opened.increment();
        open.incrementAndGet();
        return open::decrementAndGet;
    }

    @Override
    public void fromSocket(int bytes) {
        bytesIn.add(bytes);
    }

    @Override
    public void toSocket(int bytes) {
        bytesOut.add(bytes);
    }

    /** A visitor was turned away before any stream opened, for {@code reason} ("allow_from", "basic_auth"). */
    public void visitorRefused(String reason) {
        refusedVisitors(metrics, prefix, labelName, label, reason).increment();
    }

    /** The counter of visitors {@code labelName=label} turned away for {@code reason} (a web port's, say). */
    public static Counter refusedVisitors(Metrics metrics, String prefix, String labelName, String label,
            String reason) {
        return metrics.counter(prefix + "_visitors_refused_total", "Visitors turned away before a stream opened, "
                + "by tunnel and reason.", labelName, label, "reason", reason);
    }

    /** The tunnel closed: its open-streams gauge goes away (its counters stay, as Prometheus expects). */
    public void closed() {
        metrics.remove(prefix + "_streams_open", labelName, label);
    }
}
