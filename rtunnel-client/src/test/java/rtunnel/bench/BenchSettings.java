package rtunnel.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How long and how much to measure.
 *
 * @param window          length of each timed measurement
 * @param rampUp          unmeasured lead-in of each of the Java load generator's windows, while its connections
 *                        ramp up
 * @param clientWarmup    length of each real client's unrecorded run through each tunnel before the first round;
 *                        zero for none
 * @param rounds          rounds of measurements (direct, then each tunnel); the report shows medians
 * @param warmupRound     whether one short unrecorded round of the Java probes warms up the JIT of every JVM first
 * @param connections     idle connections opened through the tunnel for the memory figures
 * @param roundTrips      measured round trips for the latency figures
 * @param phases          which probes to run
 * @param modes           the tunnels to measure, each with a process pair of its own
 * @param commands        how to start the server, client and echo processes
 * @param tools           the real clients and servers this machine has
 * @param skipped         what was asked for or is the default but cannot run here, each with why
 * @param json            where to write the JSON report, or null
 * @param logDirectory    where the child processes' stderr (and the real clients' stdout) goes
 */
record BenchSettings(Duration window, Duration rampUp, Duration clientWarmup, int rounds, boolean warmupRound,
        int connections, int roundTrips, Set<Phase> phases, List<Side> modes, ProgramCommands commands,
        InstalledTools tools, List<String> skipped, Path json, Path logDirectory) {

    /** The benchmark's probes; {@code Round} runs them in this order. */
    enum Phase {
        IPERF3, WRK, LATENCY, THROUGHPUT, CONNECT, HTTP, COLD, MEMORY, STARTUP
    }

    /** Enough for the JIT to compile the relay's hot paths in the server and client. */
    static final Duration WARMUP_ROUND_WINDOW = Duration.ofSeconds(1);

    /** The Java load generator's probes, which the warm-up round runs. */
    private static final Set<Phase> JAVA_PROBES = EnumSet.of(Phase.LATENCY, Phase.THROUGHPUT, Phase.CONNECT,
            Phase.HTTP);

    /** Unmeasured round trips before the measured ones: enough for the JIT to compile the echo path. */
    int roundTripWarmup() {
        return Math.max(10, roundTrips / 2);
    }

    /** The window in whole seconds, at least one: iperf3 and wrk take no fractions. */
    int clientSeconds() {
        return (int) Math.max(1, Math.round(window.toMillis() / 1000.0));
    }

    /**
     * The first second of each iperf3 test, which iperf3 leaves out of its figures while the streams ramp up
     * (TCP's and the tunnel's windows grow, ssh's channels open); none for windows under a second (--smoke).
     */
    int clientRampUpSeconds() {
        return window.compareTo(Duration.ofSeconds(1)) >= 0 ? 1 : 0;
    }

    /** The real clients' warm-up in whole seconds, or 0 for none. */
    int clientWarmupSeconds() {
        return clientWarmup.isZero() ? 0 : (int) Math.max(1, Math.round(clientWarmup.toMillis() / 1000.0));
    }

    /**
     * Settings for the unrecorded warm-up round of the Java probes: windows of at most a second. The real
     * clients have their own warm-up; cold and memory start processes of their own, which no warm-up can reach.
     */
    BenchSettings forWarmupRound() {
        Duration shortWindow = window.compareTo(WARMUP_ROUND_WINDOW) < 0 ? window : WARMUP_ROUND_WINDOW;
        Set<Phase> warmPhases = EnumSet.noneOf(Phase.class);
        warmPhases.addAll(phases);
        warmPhases.retainAll(JAVA_PROBES);
        return new BenchSettings(shortWindow, rampUp, Duration.ZERO, 1, false, connections, roundTrips, warmPhases,
                modes, commands, tools, skipped, null, logDirectory);
    }
}
