package rtunnel.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import rtunnel.bench.BenchSettings.Phase;

/**
 * One benchmark run: starts the targets (in-process sink, source, echo and HTTP responder; iperf3 and nginx
 * when their probes run), one long-lived tunnel per mode with a public port to each target, warms the
 * tunnels up, and runs the rounds. Closing it stops every process it started.
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
    private final List<AutoCloseable> realTargets = new ArrayList<>();
    private final QuietWait quiet;

    BenchRun(BenchSettings settings, Environment environment, PrintStream progress) throws IOException {
        this.settings = settings;
        this.environment = environment;
        this.progress = progress;
        this.programs = new ChildPrograms(settings.logDirectory());
        this.sink = new ThreadedTarget("sink", ThroughputProbe::discard);
        this.source = new ThreadedTarget("source", ThroughputProbe::pour);
        this.http = new ThreadedTarget("http", HttpProbe::respond);
        this.echo = new SelectorEcho();
        this.quiet = new QuietWait(environment.clockTicks());
    }

    /** Starts the real targets and a tunnel per mode, then the warm-ups and the rounds. */
    Results run() throws IOException, InterruptedException {
        InstalledTools tools = settings.tools();
        boolean iperf3 = settings.phases().contains(Phase.IPERF3)
                || settings.phases().contains(Phase.COLD) && tools.iperf3Missing().isEmpty();
        int iperf3Port = 0;
        if (iperf3) {
            Iperf3Server server = started(Iperf3Server.start(programs, tools));
            quiet.watch(() -> server.stats().cpuTicks());
            iperf3Port = server.port();
        }
        int nginxPort = 0;
        if (settings.phases().contains(Phase.WRK)) {
            NginxTarget nginx = started(NginxTarget.start(programs, tools));
            quiet.watch(() -> nginx.stats().cpuTicks());
            nginxPort = nginx.port();
        }
        Endpoints direct = new Endpoints(sink.port(), source.port(), echo.port(), http.port(), iperf3Port, nginxPort);
        // The sink first: ssh -R proves its forwards up by one connection to the first, which the sink takes calmly.
        List<Integer> targets = new ArrayList<>(List.of(direct.sink(), direct.source(), direct.echo(), direct.http()));
        targets.addAll(List.of(iperf3Port, nginxPort).stream().filter(port -> port != 0).toList());
        TunnelLauncher launcher = new TunnelLauncher(programs, settings.commands(), tools);
        Map<Side, Endpoints> endpoints = new EnumMap<>(Side.class);
        Map<Side, TunnelPair> tunnels = new EnumMap<>(Side.class);
        endpoints.put(Side.DIRECT, direct);
        try {
            for (Side mode : settings.modes()) {
                TunnelPair tunnel = launcher.start(mode, "main", targets);
                tunnels.put(mode, tunnel);
                quiet.watch(() -> tunnel.serverStats().cpuTicks() + tunnel.clientStats().cpuTicks());
                endpoints.put(mode, Endpoints.through(tunnel, direct));
            }
            RunContext context = new RunContext(endpoints, tunnels, launcher, programs,
                    iperf3 ? new Iperf3Probe(programs, tools) : null, nginxPort != 0 ? new WrkProbe(programs, tools) : null,
                    environment.clockTicks(), this::awaitIdleTargets, progress);
            warmUp(context);
            Results results = new Results();
            for (int i = 1; i <= settings.rounds(); i++) {
                progress.println("round " + i + " of " + settings.rounds() + ":");
                new Round("round " + i, settings, context, results).run();
            }
            return results;
        } finally {
            for (TunnelPair tunnel : tunnels.values()) {
                tunnel.close();
            }
        }
    }

    private <T extends AutoCloseable> T started(T target) {
        realTargets.add(target);
        return target;
    }

    /**
     * Each real client runs unrecorded through each tunnel for the warm-up time, then the Java probes run one
     * short unrecorded round: the JITs of every tunnel's JVMs have compiled the paths the rounds measure.
     */
    private void warmUp(RunContext context) throws InterruptedException {
        int seconds = settings.clientWarmupSeconds();
        Endpoints direct = context.endpoints().get(Side.DIRECT);
        if (seconds > 0 && (direct.iperf3() != 0 || direct.nginx() != 0)) {
            progress.println("warm-up (not recorded): each real client for " + seconds + " s through each tunnel");
            for (Side mode : settings.modes()) {
                Endpoints at = context.endpoints().get(mode);
                String label = "warm-up-" + mode.key();
                try {
                    if (at.iperf3() != 0) {
                        context.iperf3().warmUp(label, at.iperf3(), seconds);
                    }
                    if (at.nginx() != 0) {
                        context.wrk().keepAlive(label, at.nginx(), seconds);
                        context.wrk().newConnections(label, at.nginx(), seconds);
                    }
                } catch (IOException e) {
                    // A warm-up is not a measurement: the rounds will fail, and say why, if the tunnel is broken.
                    progress.println("  warm-up through " + mode.key() + " failed: " + e.getMessage());
                }
            }
        }
        BenchSettings warm = settings.forWarmupRound();
        if (settings.warmupRound() && !warm.phases().isEmpty()) {
            progress.println("warm-up round of the Java probes (not recorded):");
            new Round("warm-up", warm, context, new Results()).run();
        }
    }

    /**
     * Waits until no target serves a connection of the last probe and the tunnels and real targets are quiet,
     * so its teardown does not slow the next.
     */
    private void awaitIdleTargets() {
        long deadline = System.nanoTime() + IDLE_WAIT.toNanos();
        while (sink.open() + source.open() + http.open() + echo.open() > 0) {
            if (System.nanoTime() - deadline > 0) {
                progress.println("  (connections still open after " + IDLE_WAIT.toSeconds() + " s: sink "
                        + sink.open() + ", source " + source.open() + ", http " + http.open() + ", echo "
                        + echo.open() + ")");
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        if (!quiet.await()) {
            progress.println("  (the tunnels or targets were still busy after " + QuietWait.LIMIT.toSeconds() + " s)");
        }
    }

    @Override
    public void close() throws Exception {
        try {
            for (AutoCloseable target : realTargets) {
                target.close();
            }
        } finally {
            programs.close();
            sink.close();
            source.close();
            http.close();
            echo.close();
        }
    }
}
