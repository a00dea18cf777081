package rtunnel.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The figures of every round, direct and through each tunnel, and the probes that failed. */
final class Results {

    private final Map<Side, Map<Metric, List<Double>>> values = new EnumMap<>(Side.class);
    private final List<String> failures = new ArrayList<>();

    Results() {
        for (Side side : Side.values()) {
            values.put(side, new EnumMap<>(Metric.class));
        }
    }

    void add(Metric metric, Side side, double value) {
        values.get(side).computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
    }

    void failed(String what) {
        failures.add(what);
    }

    List<String> failures() {
        return Collections.unmodifiableList(failures);
    }

    /** The figures of each round, in order; empty when none was measured. */
    List<Double> rounds(Metric metric, Side side) {
        return values.get(side).getOrDefault(metric, List.of());
    }

    /** The median over the rounds; NaN when none was measured. */
    double median(Metric metric, Side side) {
        List<Double> sorted = new ArrayList<>(rounds(metric, side));
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** {@code tunnel} as a fraction of direct performance (higher is better); NaN without both figures. */
    double vsDirect(Metric metric, Side tunnel) {
        return share(metric, tunnel, Side.DIRECT);
    }

    /**
     * The medians of {@code side} as a share of {@code other}'s, the way that makes higher better: side ÷ other
     * for figures where higher is better, other ÷ side for times, CPU and memory. NaN without both figures.
     */
    double share(Metric metric, Side side, Side other) {
        double mine = median(metric, side);
        double theirs = median(metric, other);
        return metric.better == Metric.Better.HIGHER ? mine / theirs : theirs / mine;
    }

    /** {@code tunnel} as a share of ssh -R's figure (higher is better); NaN without both figures. */
    double vsSsh(Metric metric, Side tunnel) {
        return share(metric, tunnel, Side.SSH);
    }

    /**
     * Whether rtunnel's medians in {@code tunnel} meet the metric's target; null for ssh -R (the targets are
     * rtunnel's), when there is none, or without the figures.
     */
    Boolean met(Metric metric, Side tunnel) {
        return tunnel.isRtunnel() ? metric.target.met(median(metric, tunnel), vsDirect(metric, tunnel)) : null;
    }

    /** Whether rtunnel in {@code tunnel} beats ssh -R by the metric's factor; null as for {@link #met}. */
    Boolean metVersusSsh(Metric metric, Side tunnel) {
        return tunnel.isRtunnel() ? metric.metVersusSsh(vsSsh(metric, tunnel)) : null;
    }
}
