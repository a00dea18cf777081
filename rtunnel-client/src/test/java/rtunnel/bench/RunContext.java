package rtunnel.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every round of one run shares: where each probe connects, the tunnels to measure and the means to
 * start fresh ones, and the real clients.
 *
 * @param endpoints         where each side's probes connect: direct to the targets, or a tunnel's public ports
 * @param tunnels           the long-lived tunnel of each mode
 * @param launcher          starts fresh tunnels (cold and memory probes)
 * @param programs          starts the real clients and the memory probe's echo process
 * @param iperf3            the iperf3 client, when installed
 * @param wrk               the wrk client, when installed
 * @param clockTicks        CPU clock ticks per second, the unit of /proc's CPU times
 * @param awaitIdleTargets  waits until the targets serve no connection of the last probe
 * @param progress          where each figure is printed as it is measured
 */
record RunContext(Map<Side, Endpoints> endpoints, Map<Side, TunnelPair> tunnels, TunnelLauncher launcher,
        ChildPrograms programs, Iperf3Probe iperf3, WrkProbe wrk, int clockTicks, Runnable awaitIdleTargets,
        PrintStream progress) {

    /** Direct first, then each mode: the order every probe measures in. */
    List<Side> sides(List<Side> modes) {
        List<Side> sides = new ArrayList<>(List.of(Side.DIRECT));
        sides.addAll(modes);
        return sides;
    }
}
