package rtunnel.bench;

import java.io.PrintStream;

/** Puts each figure of one round into the results and prints it as progress. */
final class Recorder {

    private final String round;
    private final Results results;
    private final PrintStream progress;

    Recorder(String round, Results results, PrintStream progress) {
        this.round = round;
        this.results = results;
        this.progress = progress;
    }

    void record(Metric metric, Side side, double value) {
        results.add(metric, side, value);
        progress.printf("  %-8s %-32s %-6s %12s %s%n", round, metric.label.trim(), side.key(),
                Report.format(metric, value), metric.unit);
    }

    /** Notes that {@code what} failed on {@code side}: the run goes on and exits 1 at the end. */
    void failed(String what, Side side, Exception e) {
        String failure = round + ", " + what + ", " + side.key() + ": " + e.getMessage();
        results.failed(failure);
        progress.println("  FAILED " + failure);
    }
}
