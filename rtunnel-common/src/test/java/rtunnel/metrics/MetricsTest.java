package rtunnel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rendersThePrometheusTextFormatSortedByName() {
        Metrics metrics = new Metrics();
        AtomicLong clients = new AtomicLong(2);
        metrics.gauge("rtunnel_server_clients", "Clients.", clients::get);
        metrics.counter("rtunnel_server_bytes_total", "Bytes.", "port", "4000", "direction", "in").add(10);
        metrics.counter("rtunnel_server_bytes_total", "Bytes.", "port", "4000", "direction", "out").add(7);
        metrics.counter("rtunnel_server_bytes_total", "Bytes.", "port", "4000", "direction", "in").add(5);
        assertEquals("""
                # HELP rtunnel_server_bytes_total Bytes.
                # TYPE rtunnel_server_bytes_total counter
                rtunnel_server_bytes_total{port="4000",direction="in"} 15
                rtunnel_server_bytes_total{port="4000",direction="out"} 7
                # HELP rtunnel_server_clients Clients.
                # TYPE rtunnel_server_clients gauge
                rtunnel_server_clients 2
                """, metrics.render());
    }

    @Test
    void theSameSeriesIsOneCounterAndLabelValuesAreEscaped() {
        Metrics metrics = new Metrics();
        assertSame(metrics.counter("x_total", "X.", "reason", "a\"b\\c\n"), metrics.counter("x_total", "X.", "reason", "a\"b\\c\n"));
        assertEquals("{reason=\"a\\\"b\\\\c\\n\"}", Metrics.labelText("reason", "a\"b\\c\n"));
    }

    @Test
    void aClosedTunnelsGaugeGoesAway() {
        Metrics metrics = new Metrics();
        TunnelMeter meter = new TunnelMeter(metrics, "rtunnel_server", 4000);
        Runnable ended = meter.streamOpened();
        meter.fromSocket(3);
        ended.run();
        meter.closed();
        assertEquals(false, metrics.render().contains("rtunnel_server_streams_open{port=\"4000\"}"));
        assertEquals(true, metrics.render().contains("rtunnel_server_streams_total{port=\"4000\"} 1"));
    }

    @Test
    void aTakenMetricsAddressIsNamedInTheError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            BindException refused = assertThrows(BindException.class, () -> MetricsEndpoint.start(address, new Metrics()));
            assertEquals("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
                    refused.getMessage());
        }
    }

    @Test
    void aLabelledViewPutsItsLabelsFirstInTheSameFamilies() {
        Metrics metrics = new Metrics();
        Metrics serverA = metrics.labelled("server", "a:19050");
        Metrics serverB = metrics.labelled("server", "b:19050");
        serverA.counter("rtunnel_client_reconnects_total", "Reconnects.").add(2);
        serverB.counter("rtunnel_client_reconnects_total", "Reconnects.").increment();
        serverA.counter("rtunnel_client_streams_total", "Streams.", "port", "4000").increment();
        serverB.gauge("rtunnel_client_streams_open", "Open.", () -> 3, "port", "4000");
        serverB.remove("rtunnel_client_streams_open", "port", "4000");
        assertEquals("""
                # HELP rtunnel_client_reconnects_total Reconnects.
                # TYPE rtunnel_client_reconnects_total counter
                rtunnel_client_reconnects_total{server="a:19050"} 2
                rtunnel_client_reconnects_total{server="b:19050"} 1
                # HELP rtunnel_client_streams_open Open.
                # TYPE rtunnel_client_streams_open gauge
                # HELP rtunnel_client_streams_total Streams.
                # TYPE rtunnel_client_streams_total counter
                rtunnel_client_streams_total{server="a:19050",port="4000"} 1
                """, metrics.render());
    }
}
