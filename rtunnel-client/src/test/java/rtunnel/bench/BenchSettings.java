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
 * @param warmup          unmeasured lead-in of each timed measurement, while the connections ramp up
 * @param rounds          rounds of measurements (direct, then each mode); the report shows medians
 * @param warmupRound     whether one short unrecorded round warms up the JIT of every JVM first
 * @param connections     idle connections opened through the tunnel for the memory figures
 * @param roundTrips      measured round trips for the latency figures
 * @param phases          which probes to run
 * @param modes           the tunnel's frame protection modes to measure, each with a process pair of its own
 * @param commands        how to start the server, client and echo processes
 * @param json            where to write the JSON report, or null
 * @param logDirectory    where the child processes' stderr goes
 */
record BenchSettings(Duration window, Duration warmup, int rounds, boolean warmupRound, int connections,
        int roundTrips, Set<Phase> phases, List<Side> modes, ProgramCommands commands, Path json,
        Path logDirectory) {

    /** The benchmark's probes, in the order each round runs them. */
    enum Phase {
        THROUGHPUT, LATENCY, CONNECT, HTTP, MEMORY
    }

    /** Enough for the JIT to compile the relay's hot paths in the server and client. */
    static final Duration WARMUP_ROUND_WINDOW = Duration.ofSeconds(1);

    /** Unmeasured round trips before the measured ones: enough for the JIT to compile the echo path. */
    int roundTripWarmup() {
        return Math.max(10, roundTrips / 2);
    }

    /**
     * Settings for the unrecorded warm-up round: windows of at most a second, and no memory probe (it
     * starts processes of its own, which no warm-up can reach). Every mode's processes are warmed.
     */
    BenchSettings forWarmupRound() {
        Duration shortWindow = window.compareTo(WARMUP_ROUND_WINDOW) < 0 ? window : WARMUP_ROUND_WINDOW;
        Set<Phase> warmPhases = EnumSet.noneOf(Phase.class);
        warmPhases.addAll(phases);
        warmPhases.remove(Phase.MEMORY);
        return new BenchSettings(shortWindow, warmup, 1, false, connections, roundTrips, warmPhases, modes,
                commands, null, logDirectory);
    }
}
