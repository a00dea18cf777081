package rtunnel.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import rtunnel.bench.BenchSettings.Phase;

/**
 * Which probes and tunnels a run measures on this machine: the ones asked for (or the defaults), less what
 * its missing tools rule out. A real-client probe that cannot run is replaced by the Java load generator's
 * counterpart, and each thing left out comes with a line saying why.
 *
 * @param phases   the probes to run
 * @param modes    the tunnels to measure
 * @param skipped  one line for each probe or tunnel left out
 */
record ProbePlan(Set<Phase> phases, List<Side> modes, List<String> skipped) {

    /** The probes of a run without {@code --probes}: real clients where installed, round trips, cold, memory, start-up. */
    static final Set<Phase> DEFAULT_PHASES = EnumSet.of(Phase.IPERF3, Phase.WRK, Phase.LATENCY, Phase.COLD,
            Phase.MEMORY, Phase.STARTUP);

    /** What runs of {@code requestedPhases} and {@code requestedModes} with {@code tools}. */
    static ProbePlan choose(Set<Phase> requestedPhases, List<Side> requestedModes, InstalledTools tools) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        phases.addAll(requestedPhases);
        List<String> skipped = new ArrayList<>();
        Optional<String> noIperf3 = tools.iperf3Missing();
        if (phases.contains(Phase.IPERF3) && noIperf3.isPresent()) {
            phases.remove(Phase.IPERF3);
            phases.add(Phase.THROUGHPUT);
            skipped.add("iperf3 probes: " + noIperf3.get() + "; the Java generator's throughput probe runs instead");
        }
        if (phases.contains(Phase.COLD) && noIperf3.isPresent()) {
            skipped.add("iperf3 cold probe: " + noIperf3.get() + "; the Java generator measures the cold tunnel");
        }
        Optional<String> noWrk = tools.wrkMissing();
        if (phases.contains(Phase.WRK) && noWrk.isPresent()) {
            phases.remove(Phase.WRK);
            phases.add(Phase.HTTP);
            phases.add(Phase.CONNECT);
            skipped.add("wrk probes: " + noWrk.get() + "; the Java generator's keep-alive and new-connection probes "
                    + "run instead");
        }
        List<Side> modes = new ArrayList<>(requestedModes);
        Optional<String> noSsh = tools.sshMissing();
        if (modes.contains(Side.SSH) && noSsh.isPresent()) {
            modes.remove(Side.SSH);
            skipped.add("ssh -R: " + noSsh.get() + "; no figures to compare with ssh -R");
        }
        if (modes.isEmpty()) {
            throw new IllegalStateException("no tunnel left to measure: " + String.join("; ", skipped));
        }
        return new ProbePlan(phases, List.copyOf(modes), List.copyOf(skipped));
    }
}
