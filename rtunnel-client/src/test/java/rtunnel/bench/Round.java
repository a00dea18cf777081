package rtunnel.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import rtunnel.bench.BenchSettings.Phase;
import rtunnel.bench.Results.Side;
import rtunnel.bench.ThroughputProbe.Direction;

/**
 * One round of measurements: every probe, each measured directly and then through the tunnel, so the
 * machine's slow drifts hit both sides alike. The memory probe measures fresh processes of its own.
 */
final class Round {

    /** One measurement, which records its figures itself. */
    @FunctionalInterface
    private interface Measurement {
        void run(Side side, Endpoints endpoints) throws IOException, InterruptedException;
    }

    private static final Pattern ECHO_READY = Pattern.compile(Pattern.quote(SelectorEcho.READY) + "(\\d+)");

    private final String name;
    private final BenchSettings settings;
    private final Map<Side, Endpoints> endpoints;
    private final TunnelProcesses tunnel;
    private final ChildPrograms programs;
    private final Runnable awaitIdleTargets;
    private final int clockTicks;
    private final Results results;
    private final PrintStream progress;
    private final List<CpuMeter> cpuMeters = new ArrayList<>();
    private long cpuBytes;

    Round(String name, BenchSettings settings, Map<Side, Endpoints> endpoints, TunnelProcesses tunnel,
            ChildPrograms programs, Runnable awaitIdleTargets, int clockTicks, Results results,
            PrintStream progress) {
        this.name = name;
        this.settings = settings;
        this.endpoints = endpoints;
        this.tunnel = tunnel;
        this.programs = programs;
        this.awaitIdleTargets = awaitIdleTargets;
        this.clockTicks = clockTicks;
        this.results = results;
        this.progress = progress;
    }

    void run() throws InterruptedException {
        if (settings.phases().contains(Phase.THROUGHPUT)) {
            for (int streams : new int[] {1, 8}) {
                for (Direction direction : Direction.values()) {
                    both(direction.name().toLowerCase() + " " + streams, (side, at) -> throughput(side, at,
                            streams, direction));
                }
            }
            recordCpu();
        }
        if (settings.phases().contains(Phase.LATENCY)) {
            both("round trips", this::latency);
        }
        if (settings.phases().contains(Phase.CONNECT)) {
            both("new connections", (side, at) -> record(Metric.CONNECT_RATE, side,
                    ConnectRateProbe.run(at.echo(), settings.warmup(), settings.window())));
        }
        if (settings.phases().contains(Phase.HTTP)) {
            both("http keep-alive", (side, at) -> record(Metric.HTTP_RATE, side,
                    HttpProbe.run(at.http(), settings.warmup(), settings.window())));
        }
        if (settings.phases().contains(Phase.MEMORY)) {
            measure("memory", Side.TUNNEL, (side, at) -> memory());
        }
    }

    private void both(String what, Measurement measurement) throws InterruptedException {
        measure(what, Side.DIRECT, measurement);
        measure(what, Side.TUNNEL, measurement);
    }

    private void measure(String what, Side side, Measurement measurement) throws InterruptedException {
        try {
            measurement.run(side, endpoints.get(side));
        } catch (IOException | RuntimeException e) {
            String failure = name + ", " + what + ", " + side.name().toLowerCase() + ": " + e.getMessage();
            results.failed(failure);
            progress.println("  FAILED " + failure);
        } finally {
            awaitIdleTargets.run();
        }
    }

    private void throughput(Side side, Endpoints at, int streams, Direction direction)
            throws IOException, InterruptedException {
        boolean meterCpu = side == Side.TUNNEL && streams == 1;
        CpuMeter cpu = new CpuMeter(tunnel, clockTicks);
        int port = direction == Direction.UPLOAD ? at.sink() : at.source();
        ThroughputProbe.Result result = ThroughputProbe.run(port, streams, direction, settings.warmup(),
                settings.window(), meterCpu ? cpu : TimedLoad.NONE);
        boolean upload = direction == Direction.UPLOAD;
        if (streams == 1) {
            record(upload ? Metric.UPLOAD_1 : Metric.DOWNLOAD_1, side, result.gbps());
        } else {
            record(upload ? Metric.UPLOAD_8 : Metric.DOWNLOAD_8, side, result.gbps());
            record(upload ? Metric.UPLOAD_8_FAIRNESS : Metric.DOWNLOAD_8_FAIRNESS, side,
                    result.slowestGbps() / result.meanGbps());
        }
        if (meterCpu) {
            cpuMeters.add(cpu);
            cpuBytes += result.bytes();
        }
    }

    /** CPU seconds per 10^9 bytes over both single-stream directions through the tunnel. */
    private void recordCpu() {
        if (cpuBytes > 0) {
            record(Metric.SERVER_CPU_PER_GB, Side.TUNNEL, perGigabyte(CpuMeter::serverSeconds));
            record(Metric.SERVER_KERNEL_CPU_PER_GB, Side.TUNNEL, perGigabyte(CpuMeter::serverKernelSeconds));
            record(Metric.CLIENT_CPU_PER_GB, Side.TUNNEL, perGigabyte(CpuMeter::clientSeconds));
            record(Metric.CLIENT_KERNEL_CPU_PER_GB, Side.TUNNEL, perGigabyte(CpuMeter::clientKernelSeconds));
        }
    }

    private double perGigabyte(ToDoubleFunction<CpuMeter> seconds) {
        return cpuMeters.stream().mapToDouble(seconds).sum() / (cpuBytes / 1e9);
    }

    private void latency(Side side, Endpoints at) throws IOException {
        LatencyProbe.Result result = LatencyProbe.run(at.echo(), settings.roundTripWarmup(), settings.roundTrips());
        record(Metric.RTT_P50, side, result.p50Micros());
        record(Metric.RTT_P99, side, result.p99Micros());
    }

    private void memory() throws IOException, InterruptedException {
        ChildProgram echo = programs.start("memory-echo", settings.commands().echo());
        try {
            int echoPort = Integer.parseInt(echo.awaitLine(ECHO_READY, TunnelProcesses.START_TIMEOUT).group(1));
            try (TunnelProcesses fresh = TunnelProcesses.start(programs, settings.commands(), "memory",
                    List.of(echoPort))) {
                MemoryProbe.Result result = MemoryProbe.run(fresh, fresh.publicPort(echoPort),
                        settings.connections());
                record(Metric.SERVER_RSS_IDLE, Side.TUNNEL, result.serverIdle().rssKib() / 1024.0);
                record(Metric.CLIENT_RSS_IDLE, Side.TUNNEL, result.clientIdle().rssKib() / 1024.0);
                record(Metric.SERVER_RSS_OPEN, Side.TUNNEL, result.serverLoaded().rssKib() / 1024.0);
                record(Metric.CLIENT_RSS_OPEN, Side.TUNNEL, result.clientLoaded().rssKib() / 1024.0);
                record(Metric.SERVER_THREADS_OPEN, Side.TUNNEL, result.serverLoaded().threads());
                record(Metric.CLIENT_THREADS_OPEN, Side.TUNNEL, result.clientLoaded().threads());
                record(Metric.KIB_PER_CONNECTION, Side.TUNNEL, result.kibPerConnection());
            }
        } finally {
            programs.stop(echo);
        }
    }

    private void record(Metric metric, Side side, double value) {
        results.add(metric, side, value);
        progress.printf("  %-8s %-32s %-6s %12s %s%n", name, metric.label.trim(), side.name().toLowerCase(),
                Report.format(metric, value), metric.unit);
    }
}
