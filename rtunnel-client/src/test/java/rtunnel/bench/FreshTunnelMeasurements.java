package rtunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import rtunnel.bench.ThroughputProbe.Direction;

/**
 * The measurements that need a tunnel of their own, started for them and stopped after: the cold figure
 * (the first seconds of a fresh tunnel, before its JITs have compiled anything) and the memory figures.
 */
final class FreshTunnelMeasurements {

    private static final Pattern ECHO_READY = Pattern.compile(Pattern.quote(SelectorEcho.READY) + "(\\d+)");

    private final BenchSettings settings;
    private final RunContext context;
    private final Recorder recorder;
    private final String label;

    FreshTunnelMeasurements(BenchSettings settings, RunContext context, Recorder recorder, String label) {
        this.settings = settings;
        this.context = context;
        this.recorder = recorder;
        this.label = label;
    }

    /**
     * One stream uploading for one window through a tunnel started just for it: iperf3 when installed, else
     * the Java generator with no ramp-up. Direct has nothing to be cold; it is measured the same way for the ratio.
     */
    void cold(Side side) throws IOException, InterruptedException {
        Endpoints direct = context.endpoints().get(Side.DIRECT);
        boolean iperf3 = direct.iperf3() != 0;
        int target = iperf3 ? direct.iperf3() : direct.sink();
        if (side == Side.DIRECT) {
            recordCold(side, target, iperf3);
            return;
        }
        // The echo comes first: ssh -R proves its forwards up by a connection to the first one.
        try (TunnelPair fresh = context.launcher().start(side, label + "-cold", List.of(direct.echo(), target))) {
            recordCold(side, fresh.publicPort(target), iperf3);
        }
    }

    private void recordCold(Side side, int port, boolean iperf3) throws IOException, InterruptedException {
        if (iperf3) {
            Iperf3Probe.Result result = context.iperf3().run(label + "-cold-" + side.key(), port,
                    new Iperf3Probe.Test(1, false, settings.clientSeconds(), 0), TimedLoad.NONE);
            recorder.record(Metric.IPERF3_UPLOAD_1_COLD, side, result.gbps());
        } else {
            ThroughputProbe.Result result = ThroughputProbe.run(port, 1, Direction.UPLOAD, Duration.ZERO,
                    settings.window(), TimedLoad.NONE);
            recorder.record(Metric.UPLOAD_1_COLD, side, result.gbps());
        }
    }

    /** A fresh tunnel of {@code side} with one public port to an echo process of its own, idle and loaded. */
    void memory(Side side) throws IOException, InterruptedException {
        ChildProgram echo = context.programs().start(label + "-memory-echo", settings.commands().echo());
        try {
            int echoPort = Integer.parseInt(echo.awaitLine(ECHO_READY, TunnelProcesses.START_TIMEOUT).group(1));
            try (TunnelPair fresh = context.launcher().start(side, label + "-memory", List.of(echoPort))) {
                MemoryProbe.Result result = MemoryProbe.run(fresh, fresh.publicPort(echoPort), settings.connections());
                recorder.record(Metric.SERVER_RSS_IDLE, side, result.serverIdle().rssKib() / 1024.0);
                recorder.record(Metric.CLIENT_RSS_IDLE, side, result.clientIdle().rssKib() / 1024.0);
                recorder.record(Metric.SERVER_RSS_OPEN, side, result.serverLoaded().rssKib() / 1024.0);
                recorder.record(Metric.CLIENT_RSS_OPEN, side, result.clientLoaded().rssKib() / 1024.0);
                recorder.record(Metric.SERVER_THREADS_OPEN, side, result.serverLoaded().threads());
                recorder.record(Metric.CLIENT_THREADS_OPEN, side, result.clientLoaded().threads());
                recorder.record(Metric.KIB_PER_CONNECTION, side, result.kibPerConnection());
            }
        } finally {
            context.programs().stop(echo);
        }
    }

    /** {@link StartupProbe}: the client launcher's start to its up line, and its memory then, in {@code mode}. */
    void startup(Side mode) throws IOException, InterruptedException {
        Path work = Files.createDirectories(settings.logDirectory().resolve(label + "-startup-" + mode.key()));
        StartupProbe.Result result = StartupProbe.run(settings.commands().root(), settings.commands().java(), mode,
                context.endpoints().get(Side.DIRECT).echo(), settings.window().toMillis() < 1000 ? 2 : StartupProbe.STARTS, work);
        recorder.record(Metric.CLIENT_STARTUP, mode, result.seconds());
        recorder.record(Metric.CLIENT_STARTUP_RSS, mode, result.rssMib());
    }
}
