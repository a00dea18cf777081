package rtunnel.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The table a person reads: for each figure its target, the direct median, and for each tunnel its median
 * and share of direct; for rtunnel also whether the target is met and, with ssh -R measured, its share of
 * ssh -R's figure and whether it beats it by the factor the issue asks; with both rtunnel modes, AES-GCM
 * against HMAC.
 */
final class Report {

    private static final String LEAD = "%-32s %-7s %7s %9s";
    private static final String TUNNEL = "   %9s %9s";
    private static final String MET = "  %-3s";
    private static final String VERSUS_SSH = " %7s  %-3s";
    private static final String VERSUS_HMAC = "   %8s";

    private Report() {
    }

    static void print(PrintStream out, BenchSettings settings, Environment environment, Results results) {
        ReportHeader.print(out, settings, environment);
        List<Side> modes = settings.modes();
        boolean versusSsh = modes.contains(Side.SSH) && modes.stream().anyMatch(Side::isRtunnel);
        boolean versusHmac = modes.containsAll(List.of(Side.AES, Side.HMAC));
        StringBuilder titles = new StringBuilder(String.format(LEAD, "", "", "", ""));
        StringBuilder columns = new StringBuilder(String.format(LEAD, "metric", "unit", "target", "direct"));
        for (Side mode : modes) {
            String group = String.format(TUNNEL, "tunnel", "vs direct");
            if (mode.isRtunnel()) {
                group += String.format(MET, "met") + (versusSsh ? String.format(VERSUS_SSH, "vs ssh", "met") : "");
            }
            titles.append(title(mode.title, group.length()));
            columns.append(group);
        }
        if (versusHmac) {
            columns.append(String.format(VERSUS_HMAC, "AES/HMAC"));
        }
        out.println(titles.toString().stripTrailing());
        out.println(columns);
        for (Metric metric : Metric.values()) {
            if (measured(metric, results)) {
                out.println(row(metric, modes, versusSsh, versusHmac, results).stripTrailing());
            }
        }
        out.println();
        ReportHeader.footnotes(out, settings, environment, versusSsh, versusHmac);
        for (String failure : results.failures()) {
            out.println("FAILED: " + failure);
        }
    }

    private static boolean measured(Metric metric, Results results) {
        for (Side side : Side.values()) {
            if (!Double.isNaN(results.median(metric, side))) {
                return true;
            }
        }
        return false;
    }

    private static String row(Metric metric, List<Side> modes, boolean versusSsh, boolean versusHmac,
            Results results) {
        StringBuilder row = new StringBuilder(String.format(LEAD, metric.label, metric.unit, metric.target.text(),
                format(metric, results.median(metric, Side.DIRECT))));
        for (Side mode : modes) {
            row.append(String.format(TUNNEL, format(metric, results.median(metric, mode)),
                    ratio(results.vsDirect(metric, mode))));
            if (mode.isRtunnel()) {
                row.append(String.format(MET, yesOrNo(results.met(metric, mode))));
                if (versusSsh) {
                    row.append(String.format(VERSUS_SSH, ratio(results.vsSsh(metric, mode)),
                            yesOrNo(results.metVersusSsh(metric, mode))));
                }
            }
        }
        if (versusHmac) {
            row.append(String.format(VERSUS_HMAC, ratio(results.share(metric, Side.AES, Side.HMAC))));
        }
        return row.toString();
    }

    private static String yesOrNo(Boolean met) {
        return met == null ? "" : met ? "yes" : "NO";
    }

    /** {@code text} centred in a rule as wide as a group of {@code width} columns, after their gap. */
    private static String title(String text, int width) {
        int dashes = Math.max(2, width - 3 - text.length() - 2);
        String left = "-".repeat(dashes / 2);
        return "   " + left + " " + text + " " + "-".repeat(dashes - left.length());
    }

    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** A figure with as many decimals as its unit deserves; "-" when not measured. */
    static String format(Metric metric, double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        int decimals = switch (metric.unit) {
            case "Gbit/s", "ratio", "s/GB", "s" -> 2;
            case "µs", "MiB", "KiB" -> 1;
            default -> 0;
        };
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
