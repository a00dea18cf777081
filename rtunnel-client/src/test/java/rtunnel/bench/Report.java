package rtunnel.bench;

import java.io.PrintStream;
import java.util.Locale;
import rtunnel.bench.Results.Side;

/** The table a person reads: medians direct and through the tunnel, the tunnel's share, and the targets. */
final class Report {

    private static final String ROW = "%-32s %-7s %10s %10s %10s %8s  %s%n";

    private Report() {
    }

    static void print(PrintStream out, BenchSettings settings, Environment environment, Results results) {
        out.printf(Locale.ROOT, "rtunnel-bench: Java %s (%s), %d cores, %.1f GiB, open files limit %d%n",
                environment.java(), environment.vm(), environment.cores(), environment.memoryKib() / 1048576.0,
                environment.openFilesLimit());
        out.printf("load average at start %s (other work skews every figure), at end %s (this run's own)%n",
                environment.loadAverage(), Environment.readLoadAverage());
        out.printf(Locale.ROOT, "medians of %d round(s); %.1f s windows after %.1f s warm-up; %d round trips; "
                        + "N = %d idle connections%n%n", settings.rounds(), settings.window().toMillis() / 1e3,
                settings.warmup().toMillis() / 1e3, settings.roundTrips(), settings.connections());
        out.printf(ROW, "metric", "unit", "direct", "tunnel", "vs direct", "target", "met");
        for (Metric metric : Metric.values()) {
            double direct = results.median(metric, Side.DIRECT);
            double tunnel = results.median(metric, Side.TUNNEL);
            if (Double.isNaN(direct) && Double.isNaN(tunnel)) {
                continue;
            }
            Boolean met = results.met(metric);
            double share = results.vsDirect(metric);
            out.printf(ROW, metric.label, metric.unit, format(metric, direct), format(metric, tunnel),
                    Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.2f", share), metric.target.text(),
                    met == null ? "" : met ? "yes" : "NO");
        }
        out.println();
        out.println("vs direct: the tunnel's share of direct performance, higher is better: tunnel/direct for "
                + "rates, direct/tunnel for times (µs).");
        out.println("Targets of \"vs direct\" rows apply to that column; the others to the tunnel's figure.");
        if (settings.connections() < 10_000 || environment.javaFeature() < 21) {
            out.printf("The memory target is set for 10,000 connections on Java 21+; this run had %d on Java %d.%n",
                    settings.connections(), environment.javaFeature());
        }
        for (String failure : results.failures()) {
            out.println("FAILED: " + failure);
        }
    }

    /** A figure with as many decimals as its unit deserves; "-" when not measured. */
    static String format(Metric metric, double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        int decimals = switch (metric.unit) {
            case "Gbit/s", "ratio", "s/GB" -> 2;
            case "µs", "MiB", "KiB" -> 1;
            default -> 0;
        };
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
