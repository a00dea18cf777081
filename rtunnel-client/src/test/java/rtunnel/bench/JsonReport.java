package rtunnel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every figure of a run as JSON: settings, environment, tools, what was skipped, and per metric each side's
 * rounds and median ("direct", "aes", "hmac", "ssh"), each tunnel's share of direct, rtunnel's targets and its
 * share of ssh -R's, and AES-GCM's share of HMAC's.
 */
final class JsonReport {

    private JsonReport() {
    }

    static void write(Path file, BenchSettings settings, Environment environment, Results results)
            throws IOException {
        List<String> metrics = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            metrics.add(quote(metric.key()) + ": " + metric(metric, settings, results));
        }
        ProgramCommands commands = settings.commands();
        String json = "{\n"
                + "  \"environment\": {\"java\": " + quote(environment.java()) + ", \"vm\": " + quote(environment.vm())
                + ", \"cores\": " + environment.cores() + ", \"memory_kib\": " + environment.memoryKib()
                + ", \"open_files_limit\": " + environment.openFilesLimit() + ", \"clock_ticks\": "
                + environment.clockTicks() + ", \"os\": " + quote(environment.os()) + ", \"load_average_start\": "
                + quote(environment.loadAverage()) + ", \"load_average_end\": "
                + quote(Environment.readLoadAverage()) + ", \"tools\": " + strings(settings.tools().versions()) + "},\n"
                + "  \"settings\": {\"window_seconds\": " + number(settings.window().toMillis() / 1e3)
                + ", \"real_client_seconds\": " + settings.clientSeconds()
                + ", \"iperf3_ramp_up_seconds\": " + settings.clientRampUpSeconds()
                + ", \"ramp_up_seconds\": " + number(settings.rampUp().toMillis() / 1e3)
                + ", \"real_client_warmup_seconds\": " + settings.clientWarmupSeconds()
                + ", \"ssh_cipher\": " + quote(SshForward.CIPHER)
                + ", \"rounds\": " + settings.rounds() + ", \"modes\": " + strings(keys(settings.modes()))
                + ", \"mode_args\": {" + modeArgs(settings.modes()) + "}"
                + ", \"connections\": " + settings.connections()
                + ", \"round_trips\": " + settings.roundTrips() + ", \"phases\": " + strings(names(settings))
                + ", \"server_jvm_opts\": " + strings(commands.serverJvm()) + ", \"client_jvm_opts\": "
                + strings(commands.clientJvm()) + ", \"server_args\": " + strings(commands.serverArgs())
                + ", \"client_args\": " + strings(commands.clientArgs()) + "},\n"
                + "  \"metrics\": {\n    " + String.join(",\n    ", metrics) + "\n  },\n"
                + "  \"skipped\": " + strings(settings.skipped()) + ",\n"
                + "  \"failures\": " + strings(results.failures()) + "\n}\n";
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static String metric(Metric metric, BenchSettings settings, Results results) {
        StringBuilder json = new StringBuilder("{\"label\": " + quote(metric.label.trim()) + ", \"unit\": "
                + quote(metric.unit) + ", \"higher_is_better\": " + (metric.better == Metric.Better.HIGHER)
                + ", \"target\": " + (metric.target.kind() == Metric.Target.Kind.NONE ? "null"
                        : "{\"kind\": " + quote(metric.target.kind().name().toLowerCase()) + ", \"bound\": "
                                + number(metric.target.bound()) + "}")
                + ", \"direct\": " + side(metric, Side.DIRECT, results));
        boolean versusSsh = settings.modes().contains(Side.SSH);
        if (metric.versusSsh > 0) {
            json.append(", \"target_vs_ssh\": ").append(number(metric.versusSsh));
        }
        for (Side mode : settings.modes()) {
            String figures = side(metric, mode, results);
            json.append(", ").append(quote(mode.key())).append(": ")
                    .append(figures, 0, figures.length() - 1)
                    .append(", \"vs_direct\": ").append(number(results.vsDirect(metric, mode)));
            if (mode.isRtunnel()) {
                json.append(", \"met\": ").append(results.met(metric, mode));
                if (versusSsh) {
                    json.append(", \"vs_ssh\": ").append(number(results.vsSsh(metric, mode)))
                            .append(", \"met_vs_ssh\": ").append(results.metVersusSsh(metric, mode));
                }
            }
            json.append("}");
        }
        if (settings.modes().containsAll(List.of(Side.AES, Side.HMAC))) {
            json.append(", \"aes_vs_hmac\": ").append(number(results.share(metric, Side.AES, Side.HMAC)));
        }
        return json.append("}").toString();
    }

    private static String side(Metric metric, Side side, Results results) {
        List<String> rounds = new ArrayList<>();
        for (double value : results.rounds(metric, side)) {
            rounds.add(number(value));
        }
        return "{\"median\": " + number(results.median(metric, side)) + ", \"rounds\": [" + String.join(", ", rounds)
                + "]}";
    }

    private static List<String> keys(List<Side> modes) {
        List<String> keys = new ArrayList<>();
        modes.forEach(mode -> keys.add(mode.key()));
        return keys;
    }

    private static String modeArgs(List<Side> modes) {
        List<String> entries = new ArrayList<>();
        modes.forEach(mode -> entries.add(quote(mode.key()) + ": " + strings(mode.programArgs)));
        return String.join(", ", entries);
    }

    private static List<String> names(BenchSettings settings) {
        List<String> names = new ArrayList<>();
        settings.phases().forEach(phase -> names.add(phase.name().toLowerCase()));
        return names;
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.6g", value);
    }

    private static String strings(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(value -> quoted.add(quote(value)));
        return "[" + String.join(", ", quoted) + "]";
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
