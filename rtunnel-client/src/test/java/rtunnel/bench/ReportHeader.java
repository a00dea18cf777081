package rtunnel.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The lines above and below the report's table: what ran, on what, and how to read the columns. */
final class ReportHeader {

    private ReportHeader() {
    }

    static void print(PrintStream out, BenchSettings settings, Environment environment) {
        out.printf(Locale.ROOT, "rtunnel-bench: Java %s (%s), %d cores, %.1f GiB, open files limit %d%n",
                environment.java(), environment.vm(), environment.cores(), environment.memoryKib() / 1048576.0,
                environment.openFilesLimit());
        out.printf("load average at start %s (other work skews every figure), at end %s (this run's own)%n",
                environment.loadAverage(), Environment.readLoadAverage());
        out.printf(Locale.ROOT, "medians of %d round(s); %.1f s windows (real clients: %d s) after a ramp-up "
                        + "(iperf3: %d s, Java generator: %.1f s); real clients warmed up %d s per tunnel; "
                        + "%d round trips; N = %d idle connections%n", settings.rounds(),
                settings.window().toMillis() / 1e3, settings.clientSeconds(), settings.clientRampUpSeconds(),
                settings.rampUp().toMillis() / 1e3, settings.clientWarmupSeconds(), settings.roundTrips(),
                settings.connections());
        ProgramCommands commands = settings.commands();
        out.printf("JVM options: server [%s], client [%s]%n", String.join(" ", commands.serverJvm()),
                String.join(" ", commands.clientJvm()));
        out.println("probes: " + settings.phases().toString().toLowerCase(Locale.ROOT) + "; tools: "
                + String.join("; ", settings.tools().versions()));
        for (String skipped : settings.skipped()) {
            out.println("skipped: " + skipped);
        }
        out.println();
    }

    static void footnotes(PrintStream out, BenchSettings settings, Environment environment, boolean versusSsh,
            boolean versusHmac) {
        out.println("vs direct: the tunnel's share of direct performance, higher is better: tunnel/direct for "
                + "rates, direct/tunnel for times (µs).");
        out.println("Targets of \"vs direct\" rows apply to that column; the others to the tunnel's figure. "
                + "They are rtunnel's: ssh -R has none.");
        if (versusSsh) {
            out.printf(Locale.ROOT, "vs ssh: rtunnel's figure as a share of ssh -R's, higher is better (for CPU, "
                    + "memory and times: ssh's/rtunnel's); its met: ≥ %.2f on the rows the issue names.%n",
                    Metric.BEAT_SSH);
            out.println("ssh -R: server = sshd with its session processes, client = ssh; cipher "
                    + SshForward.CIPHER + ".");
        }
        if (versusHmac) {
            out.println("AES/HMAC: the AES-256-GCM tunnel's figure as a share of the HMAC-SHA256 tunnel's, higher "
                    + "is better: above 1, AES-GCM did better (for CPU, memory and times: HMAC's/AES's).");
        }
        boolean memory = settings.phases().contains(BenchSettings.Phase.MEMORY);
        if (memory && (settings.connections() < 10_000 || environment.javaFeature() < 21)) {
            out.printf("The memory target is set for 10,000 connections on Java 21+; this run had %d on Java %d.%n",
                    settings.connections(), environment.javaFeature());
        }
    }
}
