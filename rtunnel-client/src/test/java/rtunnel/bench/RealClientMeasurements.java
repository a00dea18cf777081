package rtunnel.bench;

import java.io.IOException;

/** The real clients' measurements of one side in one round (iperf3, wrk), each recording its figures. */
final class RealClientMeasurements {

    private final BenchSettings settings;
    private final RunContext context;
    private final CpuPerGigabyte cpu;
    private final Recorder recorder;
    private final String label;

    RealClientMeasurements(BenchSettings settings, RunContext context, CpuPerGigabyte cpu, Recorder recorder,
            String label) {
        this.settings = settings;
        this.context = context;
        this.cpu = cpu;
        this.recorder = recorder;
        this.label = label;
    }

    /** One iperf3 test of {@code streams} streams; single streams are metered for CPU per GB. */
    void iperf3(Side side, Endpoints at, int streams, boolean download) throws IOException, InterruptedException {
        TimedLoad.Observer meter = streams == 1 ? cpu.meter(side, context.tunnels().get(side)) : TimedLoad.NONE;
        Iperf3Probe.Result result = context.iperf3().run(label + "-" + side.key(), at.iperf3(),
                new Iperf3Probe.Test(streams, download, settings.clientSeconds(),
                        settings.clientRampUpSeconds()), meter);
        cpu.add(side, meter, result.bytes());
        if (streams == 1) {
            recorder.record(download ? Metric.IPERF3_DOWNLOAD_1 : Metric.IPERF3_UPLOAD_1, side, result.gbps());
        } else {
            recorder.record(download ? Metric.IPERF3_DOWNLOAD_8 : Metric.IPERF3_UPLOAD_8, side, result.gbps());
            recorder.record(download ? Metric.IPERF3_DOWNLOAD_8_FAIRNESS : Metric.IPERF3_UPLOAD_8_FAIRNESS, side,
                    result.slowestGbps() / result.meanGbps());
        }
    }

    void keepAlive(Side side, Endpoints at) throws IOException, InterruptedException {
        WrkProbe.Result result = context.wrk().keepAlive(label + "-" + side.key(), at.nginx(), settings.clientSeconds());
        recorder.record(Metric.WRK_KEEP_ALIVE, side, result.perSecond());
    }

    void newConnections(Side side, Endpoints at) throws IOException, InterruptedException {
        WrkProbe.Result result = context.wrk().newConnections(label + "-" + side.key(), at.nginx(),
                settings.clientSeconds());
        recorder.record(Metric.WRK_NEW_CONNECTIONS, side, result.perSecond());
    }
}
