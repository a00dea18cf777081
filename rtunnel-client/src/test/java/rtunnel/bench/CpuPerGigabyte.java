package rtunnel.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * CPU seconds per 10^9 bytes that each tunnel's server and client sides spent over one round's single-stream
 * windows (both directions; iperf3's and the Java generator's alike).
 */
final class CpuPerGigabyte {

    private final int clockTicks;
    private final Map<Side, List<CpuMeter>> meters = new EnumMap<>(Side.class);
    private final Map<Side, Long> bytes = new EnumMap<>(Side.class);

    CpuPerGigabyte(int clockTicks) {
        this.clockTicks = clockTicks;
    }

    /** A meter for one window through {@code tunnel}, or one that reads nothing for a direct connection. */
    TimedLoad.Observer meter(Side side, TunnelPair tunnel) {
        return side == Side.DIRECT ? TimedLoad.NONE : new CpuMeter(tunnel, clockTicks);
    }

    /** Counts a finished window of {@code moved} bytes, if {@code observer} metered one. */
    void add(Side side, TimedLoad.Observer observer, long moved) {
        if (observer instanceof CpuMeter meter) {
            meters.computeIfAbsent(side, s -> new ArrayList<>()).add(meter);
            bytes.merge(side, moved, Long::sum);
        }
    }

    /** Records the figures of every tunnel that moved bytes under a meter. */
    void record(Recorder recorder) {
        for (Side side : bytes.keySet()) {
            if (bytes.get(side) > 0) {
                recorder.record(Metric.SERVER_CPU_PER_GB, side, perGigabyte(side, CpuMeter::serverSeconds));
                recorder.record(Metric.SERVER_KERNEL_CPU_PER_GB, side, perGigabyte(side, CpuMeter::serverKernelSeconds));
                recorder.record(Metric.CLIENT_CPU_PER_GB, side, perGigabyte(side, CpuMeter::clientSeconds));
                recorder.record(Metric.CLIENT_KERNEL_CPU_PER_GB, side, perGigabyte(side, CpuMeter::clientKernelSeconds));
            }
        }
    }

    private double perGigabyte(Side side, ToDoubleFunction<CpuMeter> seconds) {
        return meters.get(side).stream().mapToDouble(seconds).sum() / (bytes.get(side) / 1e9);
    }
}
