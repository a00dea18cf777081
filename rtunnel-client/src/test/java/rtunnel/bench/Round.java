package rtunnel.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import rtunnel.bench.BenchSettings.Phase;
import rtunnel.bench.ThroughputProbe.Direction;

/**
 * One round of measurements: every probe, each measured directly and then through each mode's tunnel in
 * turn, so the machine's slow drifts hit all sides alike. The memory probe measures fresh processes of its
 * own for each mode.
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
    private final Map<Side, TunnelProcesses> tunnels;
    private final ChildPrograms programs;
    private final Runnable awaitIdleTargets;
    private final int clockTicks;
    private final Results results;
    private final PrintStream progress;
    private final Map<Side, List<CpuMeter>> cpuMeters = new EnumMap<>(Side.class);
    private final Map<Side, Long> cpuBytes = new EnumMap<>(Side.class);

    Round(String name, BenchSettings settings, Map<Side, Endpoints> endpoints, Map<Side, TunnelProcesses> tunnels,
            ChildPrograms programs, Runnable awaitIdleTargets, int clockTicks, Results results,
            PrintStream progress) {
        this.name = name;
        this.settings = settings;
        this.endpoints = endpoints;
        this.tunnels = tunnels;
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
                    all(direction.name().toLowerCase() + " " + streams, (side, at) -> throughput(side, at,
                            streams, direction));
                }
            }
            settings.modes().forEach(this::recordCpu);
        }
        if (settings.phases().contains(Phase.LATENCY)) {
            all("round trips", this::latency);
        }
        if (settings.phases().contains(Phase.CONNECT)) {
            all("new connections", (side, at) -> record(Metric.CONNECT_RATE, side,
                    ConnectRateProbe.run(at.echo(), settings.warmup(), settings.window())));
        }
        if (settings.phases().contains(Phase.HTTP)) {
            all("http keep-alive", (side, at) -> record(Metric.HTTP_RATE, side,
                    HttpProbe.run(at.http(), settings.warmup(), settings.window())));
        }
        if (settings.phases().contains(Phase.MEMORY)) {
            for (Side mode : settings.modes()) {
                measure("memory", mode, (side, at) -> memory(side));
            }
        }
    }

    /** Direct, then through each mode's tunnel. */
    private void all(String what, Measurement measurement) throws InterruptedException {
        measure(what, Side.DIRECT, measurement);
        for (Side mode : settings.modes()) {
            measure(what, mode, measurement);
        }
    }

    private void measure(String what, Side side, Measurement measurement) throws InterruptedException {
        try {
            measurement.run(side, endpoints.get(side));
        } catch (IOException | RuntimeException e) {
            String failure = name + ", " + what + ", " + side.key() + ": " + e.getMessage();
            results.failed(failure);
            progress.println("  FAILED " + failure);
        } finally {
            awaitIdleTargets.run();
        }
    }

    private void throughput(Side side, Endpoints at, int streams, Direction direction)
            throws IOException, InterruptedException {
        boolean meterCpu = side != Side.DIRECT && streams == 1;
        CpuMeter cpu = meterCpu ? new CpuMeter(tunnels.get(side), clockTicks) : null;
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
            cpuMeters.computeIfAbsent(side, s -> new ArrayList<>()).add(cpu);
            cpuBytes.merge(side, result.bytes(), Long::sum);
        }
    }

    /** CPU seconds per 10^9 bytes over both single-stream directions through {@code mode}'s tunnel. */
    private void recordCpu(Side mode) {
        if (cpuBytes.getOrDefault(mode, 0L) > 0) {
            record(Metric.SERVER_CPU_PER_GB, mode, perGigabyte(mode, CpuMeter::serverSeconds));
            record(Metric.SERVER_KERNEL_CPU_PER_GB, mode, perGigabyte(mode, CpuMeter::serverKernelSeconds));
            record(Metric.CLIENT_CPU_PER_GB, mode, perGigabyte(mode, CpuMeter::clientSeconds));
            record(Metric.CLIENT_KERNEL_CPU_PER_GB, mode, perGigabyte(mode, CpuMeter::clientKernelSeconds));
        }
    }

    private double perGigabyte(Side mode, ToDoubleFunction<CpuMeter> seconds) {
        return cpuMeters.get(mode).stream().mapToDouble(seconds).sum() / (cpuBytes.get(mode) / 1e9);
    }

    private void latency(Side side, Endpoints at) throws IOException {
        LatencyProbe.Result result = LatencyProbe.run(at.echo(), settings.roundTripWarmup(), settings.roundTrips());
        record(Metric.RTT_P50, side, result.p50Micros());
        record(Metric.RTT_P99, side, result.p99Micros());
    }

    /** Fresh server and client processes in {@code mode}, with one tunnel to an echo process of its own. */
    private void memory(Side mode) throws IOException, InterruptedException {
        ChildProgram echo = programs.start("memory-echo", settings.commands().echo());
        try {
            int echoPort = Integer.parseInt(echo.awaitLine(ECHO_READY, TunnelProcesses.START_TIMEOUT).group(1));
            try (TunnelProcesses fresh = TunnelProcesses.start(programs, settings.commands(), mode, "memory",
                    List.of(echoPort))) {
                MemoryProbe.Result result = MemoryProbe.run(fresh, fresh.publicPort(echoPort),
                        settings.connections());
                record(Metric.SERVER_RSS_IDLE, mode, result.serverIdle().rssKib() / 1024.0);
                record(Metric.CLIENT_RSS_IDLE, mode, result.clientIdle().rssKib() / 1024.0);
                record(Metric.SERVER_RSS_OPEN, mode, result.serverLoaded().rssKib() / 1024.0);
                record(Metric.CLIENT_RSS_OPEN, mode, result.clientLoaded().rssKib() / 1024.0);
                record(Metric.SERVER_THREADS_OPEN, mode, result.serverLoaded().threads());
                record(Metric.CLIENT_THREADS_OPEN, mode, result.clientLoaded().threads());
                record(Metric.KIB_PER_CONNECTION, mode, result.kibPerConnection());
            }
        } finally {
            programs.stop(echo);
        }
    }

    private void record(Metric metric, Side side, double value) {
        results.add(metric, side, value);
        progress.printf("  %-8s %-32s %-6s %12s %s%n", name, metric.label.trim(), side.key(),
                Report.format(metric, value), metric.unit);
    }
}
