package rtunnel.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.TunnelMeter;

/** A client's tunnel meters, by public port or by host name, kept across sessions so their counters go on. */
final class TunnelMeters {

    private final Metrics metrics;
    private final Map<String, TunnelMeter> byTunnel = new ConcurrentHashMap<>();

    TunnelMeters(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The meter of {@code tunnel}: a public port's number, or a host name (which, unlike a port, has a dot). */
    TunnelMeter of(String tunnel) {
        return byTunnel.computeIfAbsent(tunnel, key -> key.indexOf('.') < 0
                ? new TunnelMeter(metrics, "rtunnel_client", Integer.parseInt(key))
                : new TunnelMeter(metrics, "rtunnel_client", key));
    }
}
