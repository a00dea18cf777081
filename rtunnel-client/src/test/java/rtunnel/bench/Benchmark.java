package rtunnel.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.bench.BenchSettings.Phase;

/**
 * {@code bin/rtunnel-bench}: measures rtunnel on loopback against direct connections. See
 * {@code docs/benchmarks.md}.
 */
@Command(name = "rtunnel-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures throughput, latency, connection rate, keep-alive requests, memory and CPU of an "
                + "rtunnel server and client (separate processes) on 127.0.0.1, against direct connections and "
                + "OpenSSH's ssh -R in the same run, with real clients (iperf3, wrk against nginx) where installed "
                + "and its own Java load generator otherwise. Prints medians over the rounds.")
public final class Benchmark implements Callable<Integer> {

    /** Room for the benchmark's own files and sockets beside the idle connections of the memory probe. */
    static final int SPARE_FILES = 512;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S", description = "Length of each timed measurement "
            + "(default 5; 0.3 with --smoke).")
    Double seconds;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of measurements, each direct then "
            + "through each tunnel; medians are reported (default 3; 1 with --smoke).")
    Integer rounds;

    @Option(names = "--warmup", paramLabel = "S", description = "Seconds each real client runs unrecorded through "
            + "each tunnel before the first round (default 5; 0 with --smoke; 0 for none).")
    Double warmup;

    @Option(names = "--connections", paramLabel = "N", description = "Idle connections through the tunnel "
            + "for the memory figures (default 1000; 20 with --smoke).")
    Integer connections;

    @Option(names = "--round-trips", paramLabel = "N", description = "Measured 1-byte round trips "
            + "(default 2000; 50 with --smoke), after N/2 unmeasured ones.")
    Integer roundTrips;

    @Option(names = "--smoke", description = "Run every probe very briefly, to prove the benchmark works.")
    boolean smoke;

    @Option(names = "--probes", split = ",", paramLabel = "P", description = "Probes to run, of "
            + "${COMPLETION-CANDIDATES} (default: iperf3,wrk,latency,cold,memory; throughput instead of iperf3, and "
            + "connect,http instead of wrk, where those tools are missing).")
    List<Phase> probes;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "Tunnels to measure, each with "
            + "processes of its own: aes (rtunnel with AES-256-GCM, the programs' default), hmac (rtunnel with "
            + "HMAC-SHA256 integrity only: --no-encryption on both) and ssh (ssh -R to a throw-away sshd) "
            + "(default: aes,ssh).")
    List<String> modes;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure to FILE as JSON.")
    Path json;

    @Option(names = "--server-jvm-opts", paramLabel = "OPTS", description = "JVM options for the server "
            + "process, space-separated, replacing the launchers' defaults (default: those of bin/rtunnel_server, "
            + "\"" + ProgramCommands.LAUNCHER_JVM_OPTIONS + "\"; \"\" for none), after the launchers' JIT hints "
            + "for AES-GCM, which the launchers always give.")
    String serverJvmOpts;

    @Option(names = "--client-jvm-opts", paramLabel = "OPTS", description = "JVM options for the client "
            + "process, space-separated, replacing the launchers' defaults (default: as for the server).")
    String clientJvmOpts;

    @Option(names = "--server-args", paramLabel = "ARGS", defaultValue = "",
            description = "Extra rtunnel_server arguments, e.g. \"-a authorized_keys\".")
    String serverArgs;

    @Option(names = "--client-args", paramLabel = "ARGS", defaultValue = "",
            description = "Extra rtunnel_client arguments, e.g. \"-k id_ed25519\".")
    String clientArgs;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "${sys:rtunnel.root:-.}",
            description = "The repository holding the built jars (default: ${DEFAULT-VALUE}).")
    Path root;

    public static void main(String[] args) {
        CommandLine line = new CommandLine(new Benchmark()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("rtunnel-bench: " + e);
                    return 1;
                });
        System.exit(line.execute(args));
    }

    /** Runs the rounds, prints the table, writes the JSON; 1 if any probe failed, else 0. */
    @Override
    public Integer call() throws Exception {
        Environment environment = Environment.detect();
        BenchSettings settings = settings(environment, InstalledTools.detect());
        for (String skipped : settings.skipped()) {
            System.err.println("rtunnel-bench: skipping " + skipped);
        }
        try (BenchRun run = new BenchRun(settings, environment, System.err)) {
            Results results = run.run();
            System.err.println();
            Report.print(System.out, settings, environment, results);
            if (settings.json() != null) {
                JsonReport.write(settings.json(), settings, environment, results);
                System.out.println("JSON: " + settings.json());
            }
            System.out.println("child process logs: " + settings.logDirectory());
            return results.failures().isEmpty() ? 0 : 1;
        }
    }

    BenchSettings settings(Environment environment, InstalledTools tools) {
        double window = positive("--seconds", seconds, smoke ? 0.3 : 5);
        double clientWarmup = warmup == null ? (smoke ? 0 : 5) : warmup;
        if (!(clientWarmup >= 0)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be 0 or more, not " + warmup);
        }
        int connections = (int) positive("--connections", this.connections, smoke ? 20 : 1000);
        if (environment.openFilesLimit() > 0 && connections + SPARE_FILES > environment.openFilesLimit()) {
            throw new ParameterException(spec.commandLine(), "--connections " + connections + " needs more than "
                    + "the open files limit of " + environment.openFilesLimit() + " (ulimit -n) allows");
        }
        Path repository = root.toAbsolutePath().normalize();
        String launcherJvmOpts = ProgramCommands.launcherJvmOptions(repository);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path logDirectory = repository.resolve("target/rtunnel-bench/" + stamp);
        ProgramCommands commands = new ProgramCommands(ProgramCommands.currentJava(), repository,
                jvmOptions(repository, serverJvmOpts == null ? launcherJvmOpts : serverJvmOpts),
                jvmOptions(repository, clientJvmOpts == null ? launcherJvmOpts : clientJvmOpts),
                ProgramCommands.words(serverArgs), ProgramCommands.words(clientArgs),
                logDirectory.resolve("host_ed25519_key"));
        Duration windowDuration = Duration.ofMillis(Math.round(window * 1000));
        // A tenth of the window lets the connections ramp up, within bounds that suit both smoke and long runs.
        long rampUpMillis = Math.max(100, Math.min(1000, windowDuration.toMillis() / 10));
        ProbePlan plan = ProbePlan.choose(probes == null || probes.isEmpty() ? ProbePlan.DEFAULT_PHASES
                : EnumSet.copyOf(probes), modes(), tools);
        return new BenchSettings(windowDuration, Duration.ofMillis(rampUpMillis),
                Duration.ofMillis(Math.round(clientWarmup * 1000)), (int) positive("--rounds", rounds, smoke ? 1 : 3),
                !smoke, connections, (int) positive("--round-trips", roundTrips, smoke ? 50 : 2000), plan.phases(),
                plan.modes(), commands, tools, plan.skipped(), json, logDirectory);
    }

    /** The tunnels {@code --modes} names, in its order, each once; rtunnel's default and ssh when not given. */
    /** The launchers' JIT hints, then {@code options}: what the launchers run with RTUNNEL_JAVA_OPTS=options. */
    private static List<String> jvmOptions(Path repository, String options) {
        List<String> all = new ArrayList<>(ProgramCommands.words(ProgramCommands.launcherJitOptions(repository)));
        all.addAll(ProgramCommands.words(options));
        return all;
    }

    private List<Side> modes() {
        if (modes == null || modes.isEmpty()) {
            return Side.defaultModes();
        }
        Set<Side> chosen = new LinkedHashSet<>();
        for (String name : modes) {
            try {
                chosen.add(Side.mode(name));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--modes: " + e.getMessage());
            }
        }
        return List.copyOf(chosen);
    }

    private double positive(String option, Number given, double otherwise) {
        double value = given == null ? otherwise : given.doubleValue();
        if (!(value > 0)) {
            throw new ParameterException(spec.commandLine(), option + " must be positive, not " + given);
        }
        return value;
    }
}
