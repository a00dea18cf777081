package rtunnel.bench;

import java.io.IOException;
import rtunnel.bench.BenchSettings.Phase;
import rtunnel.bench.ThroughputProbe.Direction;

/**
 * One round of measurements: every probe, each measured directly and then through each tunnel in turn, so
 * the machine's slow drifts hit all sides alike. The cold and memory probes measure fresh tunnels of their own.
 */
final class Round {

    /** One measurement of one side, which records its figures itself. */
    @FunctionalInterface
    private interface Measurement {
        void run(Side side, Endpoints endpoints) throws IOException, InterruptedException;
    }

    private final BenchSettings settings;
    private final RunContext context;
    private final Recorder recorder;
    private final CpuPerGigabyte cpu;
    private final JavaMeasurements java;
    private final RealClientMeasurements real;
    private final FreshTunnelMeasurements fresh;

    Round(String name, BenchSettings settings, RunContext context, Results results) {
        this.settings = settings;
        this.context = context;
        this.recorder = new Recorder(name, results, context.progress());
        this.cpu = new CpuPerGigabyte(context.clockTicks());
        String label = name.replace(' ', '-');
        this.java = new JavaMeasurements(settings, context, cpu, recorder);
        this.real = new RealClientMeasurements(settings, context, cpu, recorder, label);
        this.fresh = new FreshTunnelMeasurements(settings, context, recorder, label);
    }

    void run() throws InterruptedException {
        if (runs(Phase.IPERF3)) {
            for (int streams : new int[] {1, 8}) {
                for (boolean download : new boolean[] {false, true}) {
                    all("iperf3 " + (download ? "download " : "upload ") + streams,
                            (side, at) -> real.iperf3(side, at, streams, download));
                }
            }
        }
        if (runs(Phase.WRK)) {
            all("wrk keep-alive", real::keepAlive);
            all("wrk connection: close", real::newConnections);
        }
        if (runs(Phase.LATENCY)) {
            all("round trips", java::latency);
        }
        if (runs(Phase.THROUGHPUT)) {
            for (int streams : new int[] {1, 8}) {
                for (Direction direction : Direction.values()) {
                    all(direction.name().toLowerCase() + " " + streams,
                            (side, at) -> java.throughput(side, at, streams, direction));
                }
            }
        }
        if (runs(Phase.CONNECT)) {
            all("new connections", java::connectRate);
        }
        if (runs(Phase.HTTP)) {
            all("http keep-alive", java::keepAlive);
        }
        cpu.record(recorder);
        if (runs(Phase.COLD)) {
            for (Side side : context.sides(settings.modes())) {
                measure("cold", side, (s, at) -> fresh.cold(s));
            }
        }
        if (runs(Phase.MEMORY)) {
            for (Side mode : settings.modes()) {
                measure("memory", mode, (s, at) -> fresh.memory(s));
            }
        }
        if (runs(Phase.STARTUP)) {
            for (Side mode : settings.modes()) {
                if (mode != Side.SSH) {
                    measure("start-up", mode, (s, at) -> fresh.startup(s));
                }
            }
        }
    }

    private boolean runs(Phase phase) {
        return settings.phases().contains(phase);
    }

    /** Direct, then through each tunnel. */
    private void all(String what, Measurement measurement) throws InterruptedException {
        for (Side side : context.sides(settings.modes())) {
            measure(what, side, measurement);
        }
    }

    private void measure(String what, Side side, Measurement measurement) throws InterruptedException {
        try {
            measurement.run(side, context.endpoints().get(side));
        } catch (IOException | RuntimeException e) {
            recorder.failed(what, side, e);
        } finally {
            context.awaitIdleTargets().run();
        }
    }
}
