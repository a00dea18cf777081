package rtunnel.bench;

import java.io.IOException;
import rtunnel.bench.ThroughputProbe.Direction;

/** The Java load generator's measurements of one side in one round, each recording its figures. */
final class JavaMeasurements {

    private final BenchSettings settings;
    private final RunContext context;
    private final CpuPerGigabyte cpu;
    private final Recorder recorder;

    JavaMeasurements(BenchSettings settings, RunContext context, CpuPerGigabyte cpu, Recorder recorder) {
        this.settings = settings;
        this.context = context;
        this.cpu = cpu;
        this.recorder = recorder;
    }

    void throughput(Side side, Endpoints at, int streams, Direction direction) throws IOException, InterruptedException {
        TimedLoad.Observer meter = streams == 1 ? cpu.meter(side, context.tunnels().get(side)) : TimedLoad.NONE;
        boolean upload = direction == Direction.UPLOAD;
        ThroughputProbe.Result result = ThroughputProbe.run(upload ? at.sink() : at.source(), streams, direction,
                settings.rampUp(), settings.window(), meter);
        cpu.add(side, meter, result.bytes());
        if (streams == 1) {
            recorder.record(upload ? Metric.UPLOAD_1 : Metric.DOWNLOAD_1, side, result.gbps());
        } else {
            recorder.record(upload ? Metric.UPLOAD_8 : Metric.DOWNLOAD_8, side, result.gbps());
            recorder.record(upload ? Metric.UPLOAD_8_FAIRNESS : Metric.DOWNLOAD_8_FAIRNESS, side,
                    result.slowestGbps() / result.meanGbps());
        }
    }

    /** The round-trip probe: one connection to the echo target, 1 byte out and back, p50 and p99. */
    void latency(Side side, Endpoints at) throws IOException {
        LatencyProbe.Result result = LatencyProbe.run(at.echo(), settings.roundTripWarmup(), settings.roundTrips());
        recorder.record(Metric.RTT_P50, side, result.p50Micros());
        recorder.record(Metric.RTT_P99, side, result.p99Micros());
    }

    void connectRate(Side side, Endpoints at) throws IOException, InterruptedException {
        recorder.record(Metric.CONNECT_RATE, side, ConnectRateProbe.run(at.echo(), settings.rampUp(), settings.window()));
    }

    void keepAlive(Side side, Endpoints at) throws IOException, InterruptedException {
        recorder.record(Metric.HTTP_RATE, side, HttpProbe.run(at.http(), settings.rampUp(), settings.window()));
    }
}
