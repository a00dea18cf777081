package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Bulk transfer measured by a real client: {@code iperf3 -c} to a port that leads to the {@link Iperf3Server},
 * with one or more parallel streams, in one direction, read from its JSON report ({@code -J}). Upload is
 * iperf3's default (the visitor sends); download is {@code -R} (the target sends).
 */
final class Iperf3Probe {

    /** Beyond the test's own length: connecting, iperf3's exchange of results, and a loaded machine. */
    static final Duration SLACK = Duration.ofSeconds(30);

    /** iperf3's answer to a test that arrives while the server is still finishing the last one. */
    static final String SERVER_BUSY = "the server is busy running a test";

    /** How long a server may stay busy with the last test, and how often to try again meanwhile. */
    private static final Duration BUSY_LIMIT = Duration.ofSeconds(10);

    private static final Duration BUSY_RETRY = Duration.ofMillis(200);

    /** How long iperf3 may take to connect, in ms: a tunnel that cannot connect in this time is broken. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /**
     * What the receiving side counted after the ramp-up: the total rate and each stream's; and the bytes moved
     * from start to end, ramp-up included, for the CPU spent per byte over the same span.
     */
    record Result(double gbps, List<Double> streamGbps, long bytes) {

        double slowestGbps() {
            return streamGbps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double meanGbps() {
            return streamGbps.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    /**
     * What to run: {@code streams} parallel streams for {@code seconds}, downloading when {@code reverse}, after
     * {@code rampUpSeconds} that iperf3 leaves out of its figures ({@code -O}).
     */
    record Test(int streams, boolean reverse, int seconds, int rampUpSeconds) {

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
        command.addAll(List.of("-P", Integer.toString(test.streams()), "-O", Integer.toString(test.rampUpSeconds())));
        if (test.reverse()) {
            command.add("-R");
        }
        long busyDeadline = System.nanoTime() + BUSY_LIMIT.toNanos();
        while (true) {
            observer.opened();
            ChildPrograms.Finished finished = programs.run(label + "-iperf3-" + test.name(), command,
                    Duration.ofSeconds(test.seconds() + test.rampUpSeconds()).plus(SLACK));
            observer.closed();
            try {
                return parse(finished);
            } catch (IOException e) {
                // The server finishes a test only once its last connection has closed, which a tunnel can pass
                // on after the client has exited: then the next test is turned away, and is tried again shortly.
                if (!e.getMessage().contains(SERVER_BUSY) || System.nanoTime() - busyDeadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(BUSY_RETRY.toNanos());
            }
        }
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
            long moved = 0;
            if (JsonParser.member(report, "intervals") instanceof List<?> intervals) {
                for (Object interval : intervals) {
                    moved += (long) JsonParser.number(interval, "sum", "bytes");
                }
            }
            return new Result(JsonParser.number(report, "end", "sum_received", "bits_per_second") / 1e9, streams,
                    moved);
        } catch (IllegalArgumentException e) {
            throw new IOException("iperf3's report lacks a figure: " + e.getMessage() + "; see " + finished.log(), e);
        }
    }
}
