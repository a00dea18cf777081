package rtunnel.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * One benchmark run: starts the in-process targets (sink, source, echo, HTTP responder), a server and client
 * process pair per frame protection mode with a tunnel to each target, and runs the rounds. Closing it stops
 * every process it started.
 */
final class BenchRun implements AutoCloseable {

    /** How long the targets may take to see the last probe's connections go before the next one starts. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(10);

    private final BenchSettings settings;
    private final Environment environment;
    private final PrintStream progress;
    private final ChildPrograms programs;
    private final ThreadedTarget sink;
    private final ThreadedTarget source;
    private final ThreadedTarget http;
    private final SelectorEcho echo;

    BenchRun(BenchSettings settings, Environment environment, PrintStream progress) throws IOException {
        this.settings = settings;
        this.environment = environment;
        this.progress = progress;
        this.programs = new ChildPrograms(settings.logDirectory());
        this.sink = new ThreadedTarget("sink", ThroughputProbe::discard);
        this.source = new ThreadedTarget("source", ThroughputProbe::pour);
        this.http = new ThreadedTarget("http", HttpProbe::respond);
        this.echo = new SelectorEcho();
    }

    /** Starts a server and client pair for each mode, then runs the warm-up round, if any, and the rounds. */
    Results run() throws IOException, InterruptedException {
        Endpoints direct = new Endpoints(sink.port(), source.port(), echo.port(), http.port());
        Map<Side, Endpoints> endpoints = new EnumMap<>(Side.class);
        Map<Side, TunnelProcesses> tunnels = new EnumMap<>(Side.class);
        endpoints.put(Side.DIRECT, direct);
        try {
            for (Side mode : settings.modes()) {
                TunnelProcesses tunnel = TunnelProcesses.start(programs, settings.commands(), mode, "main",
                        List.of(direct.sink(), direct.source(), direct.echo(), direct.http()));
                tunnels.put(mode, tunnel);
                endpoints.put(mode, Endpoints.through(tunnel, direct));
            }
            BenchSettings warm = settings.forWarmupRound();
            if (settings.warmupRound() && !warm.phases().isEmpty()) {
                progress.println("warm-up round (not recorded):");
                round("warm-up", warm, endpoints, tunnels, new Results());
            }
            Results results = new Results();
            for (int i = 1; i <= settings.rounds(); i++) {
                progress.println("round " + i + " of " + settings.rounds() + ":");
                round("round " + i, settings, endpoints, tunnels, results);
            }
            return results;
        } finally {
            for (TunnelProcesses tunnel : tunnels.values()) {
                tunnel.close();
            }
        }
    }

    private void round(String name, BenchSettings roundSettings, Map<Side, Endpoints> endpoints,
            Map<Side, TunnelProcesses> tunnels, Results results) throws InterruptedException {
        new Round(name, roundSettings, endpoints, tunnels, programs, this::awaitIdleTargets,
                environment.clockTicks(), results, progress).run();
    }

    /** Waits until no target serves a connection of the last probe, so its teardown does not slow the next. */
    private void awaitIdleTargets() {
        long deadline = System.nanoTime() + IDLE_WAIT.toNanos();
        while (sink.open() + source.open() + http.open() + echo.open() > 0) {
            if (System.nanoTime() - deadline > 0) {
                progress.println("  (connections still open after " + IDLE_WAIT.toSeconds() + " s: sink "
                        + sink.open() + ", source " + source.open() + ", http " + http.open() + ", echo "
                        + echo.open() + ")");
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            programs.close();
        } finally {
            sink.close();
            source.close();
            http.close();
            echo.close();
        }
    }
}
