package rtunnel.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The table a person reads: for each figure its target, the direct median, and for each mode the tunnel's
 * median, its share of direct and whether the target is met; with both modes, AES-GCM against HMAC.
 */
final class Report {

    private static final String LEAD = "%-32s %-7s %7s %9s";
    private static final String GROUP = "   %9s %10s  %-3s";
    private static final String VERSUS = "   %8s";

    /** Width of one mode's columns, for the title above them. */
    private static final int GROUP_WIDTH = String.format(GROUP, "", "", "").length();

    private Report() {
    }

    static void print(PrintStream out, BenchSettings settings, Environment environment, Results results) {
        header(out, settings, environment);
        List<Side> modes = settings.modes();
        boolean versus = modes.containsAll(List.of(Side.AES, Side.HMAC));
        StringBuilder titles = new StringBuilder(String.format(LEAD, "", "", "", ""));
        StringBuilder columns = new StringBuilder(String.format(LEAD, "metric", "unit", "target", "direct"));
        for (Side mode : modes) {
            titles.append(title(mode.title));
            columns.append(String.format(GROUP, "tunnel", "vs direct", "met"));
        }
        if (versus) {
            columns.append(String.format(VERSUS, "AES/HMAC"));
        }
        out.println(titles.toString().stripTrailing());
        out.println(columns);
        for (Metric metric : Metric.values()) {
            if (measured(metric, results)) {
                out.println(row(metric, modes, versus, results).stripTrailing());
            }
        }
        out.println();
        footnotes(out, settings, environment, versus);
        for (String failure : results.failures()) {
            out.println("FAILED: " + failure);
        }
    }

    private static void header(PrintStream out, BenchSettings settings, Environment environment) {
        out.printf(Locale.ROOT, "rtunnel-bench: Java %s (%s), %d cores, %.1f GiB, open files limit %d%n",
                environment.java(), environment.vm(), environment.cores(), environment.memoryKib() / 1048576.0,
                environment.openFilesLimit());
        out.printf("load average at start %s (other work skews every figure), at end %s (this run's own)%n",
                environment.loadAverage(), Environment.readLoadAverage());
        out.printf(Locale.ROOT, "medians of %d round(s); %.1f s windows after %.1f s warm-up; %d round trips; "
                        + "N = %d idle connections%n", settings.rounds(), settings.window().toMillis() / 1e3,
                settings.warmup().toMillis() / 1e3, settings.roundTrips(), settings.connections());
        ProgramCommands commands = settings.commands();
        out.printf("JVM options: server [%s], client [%s]%n%n", String.join(" ", commands.serverJvm()),
                String.join(" ", commands.clientJvm()));
    }

    private static boolean measured(Metric metric, Results results) {
        for (Side side : Side.values()) {
            if (!Double.isNaN(results.median(metric, side))) {
                return true;
            }
        }
        return false;
    }

    private static String row(Metric metric, List<Side> modes, boolean versus, Results results) {
        StringBuilder row = new StringBuilder(String.format(LEAD, metric.label, metric.unit, metric.target.text(),
                format(metric, results.median(metric, Side.DIRECT))));
        for (Side mode : modes) {
            Boolean met = results.met(metric, mode);
            row.append(String.format(GROUP, format(metric, results.median(metric, mode)),
                    ratio(results.vsDirect(metric, mode)), met == null ? "" : met ? "yes" : "NO"));
        }
        if (versus) {
            row.append(String.format(VERSUS, ratio(results.share(metric, Side.AES, Side.HMAC))));
        }
        return row.toString();
    }

    private static void footnotes(PrintStream out, BenchSettings settings, Environment environment,
            boolean versus) {
        out.println("vs direct: the tunnel's share of direct performance, higher is better: tunnel/direct for "
                + "rates, direct/tunnel for times (µs).");
        out.println("Targets of \"vs direct\" rows apply to that column; the others to the tunnel's figure.");
        if (versus) {
            out.println("AES/HMAC: the AES-256-GCM tunnel's figure as a share of the HMAC-SHA256 tunnel's, higher "
                    + "is better: above 1, AES-GCM did better (for CPU, memory and times: HMAC's/AES's).");
        }
        if (settings.connections() < 10_000 || environment.javaFeature() < 21) {
            out.printf("The memory target is set for 10,000 connections on Java 21+; this run had %d on Java %d.%n",
                    settings.connections(), environment.javaFeature());
        }
    }

    /** {@code text} centred in a rule as wide as one mode's columns. */
    private static String title(String text) {
        int dashes = Math.max(2, GROUP_WIDTH - 3 - text.length() - 2);
        String left = "-".repeat(dashes / 2);
        return "   " + left + " " + text + " " + "-".repeat(dashes - left.length());
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
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
