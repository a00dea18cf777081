package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk transfer measured by a real client: {@code iperf3 -c} to a port that leads to the {@link Iperf3Server},
 * with one or more parallel streams, in one direction, read from its JSON report ({@code -J}). Upload is
 * iperf3's default (the visitor sends); download is {@code -R} (the target sends).
 */
final class Iperf3Probe {

    /** Beyond the test's own length: connecting, iperf3's exchange of results, and a loaded machine. */
    static final Duration SLACK = Duration.ofSeconds(30);

    /** How long iperf3 may take to connect, in ms: a tunnel that cannot connect in this time is broken. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What the receiving side counted: the total rate, each stream's, and the bytes that arrived. */
    record Result(double gbps, List<Double> streamGbps, long bytes) {

        double slowestGbps() {
            return streamGbps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double meanGbps() {
            return streamGbps.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /** What to run: {@code streams} parallel streams for {@code seconds}, downloading when {@code reverse}. */
    record Test(int streams, boolean reverse, int seconds) {

        String name() {
            return (reverse ? "download-" : "upload-") + streams;
        }
    }

    private final ChildPrograms programs;
    private final InstalledTools tools;

    Iperf3Probe(ChildPrograms programs, InstalledTools tools) {
        this.programs = programs;
        this.tools = tools;
    }

    /** Runs {@code test} against {@code port}; {@code observer} is told just before iperf3 starts and after it ends. */
    Result run(String label, int port, Test test, TimedLoad.Observer observer) throws IOException, InterruptedException {
        List<String> command = command(port, test.seconds());
        command.addAll(List.of("-P", Integer.toString(test.streams())));
        if (test.reverse()) {
            command.add("-R");
        }
        observer.opened();
        ChildPrograms.Finished finished = programs.run(label + "-iperf3-" + test.name(), command,
                Duration.ofSeconds(test.seconds()).plus(SLACK));
        observer.closed();
        return parse(finished);
    }

    /** Both directions at once for {@code seconds}, unrecorded: warms a tunnel's sending and receiving paths. */
    void warmUp(String label, int port, int seconds) throws IOException, InterruptedException {
        List<String> command = command(port, seconds);
        command.add("--bidir");
        parse(programs.run(label + "-iperf3-warm-up", command, Duration.ofSeconds(seconds).plus(SLACK)));
    }

    private List<String> command(int port, int seconds) {
        return new ArrayList<>(List.of(tools.iperf3().toString(), "-c", "127.0.0.1", "-p", Integer.toString(port),
                "-t", Integer.toString(seconds), "-J", "--connect-timeout", Integer.toString(CONNECT_TIMEOUT_MILLIS)));
    }

    /** The receiver's figures from iperf3's report; an IOException with iperf3's own error when it failed. */
    static Result parse(ChildPrograms.Finished finished) throws IOException {
        Object report;
        try {
            report = JsonParser.parse(finished.stdout());
        } catch (IllegalArgumentException e) {
            throw new IOException("iperf3 exited with status " + finished.status() + " and no JSON report ("
                    + e.getMessage() + "); see " + finished.log(), e);
        }
        if (JsonParser.member(report, "error") instanceof String error) {
            throw new IOException("iperf3: " + error + "; see " + finished.log());
        }
        try {
            List<Double> streams = new ArrayList<>();
            if (JsonParser.member(report, "end", "streams") instanceof List<?> list) {
                for (Object stream : list) {
                    streams.add(JsonParser.number(stream, "receiver", "bits_per_second") / 1e9);
                }
            }
            return new Result(JsonParser.number(report, "end", "sum_received", "bits_per_second") / 1e9, streams,
                    (long) JsonParser.number(report, "end", "sum_received", "bytes"));
        } catch (IllegalArgumentException e) {
            throw new IOException("iperf3's report lacks a figure: " + e.getMessage() + "; see " + finished.log(), e);
        }
    }
}
