package rtunnel.bench;

/**
 * Every figure the benchmark reports, in the table's order, with its unit, which way is better, and the
 * targets set for rtunnel: the issue "Faster than ssh -R" for the real clients' figures and the round trips,
 * the issue "Speed and scale" for the Java load generator's and memory. Speed targets compare the tunnel
 * with a direct connection as a fraction of direct performance: tunnel ÷ direct for rates, direct ÷ tunnel
 * for times, so higher is better for all; the real clients' figures must also beat ssh -R's by a factor.
 */
enum Metric {
    IPERF3_UPLOAD_1("iperf3 upload, 1 stream", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.40),
            Metric.BEAT_SSH),
    IPERF3_DOWNLOAD_1("iperf3 download, 1 stream", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.40),
            Metric.BEAT_SSH),
    IPERF3_UPLOAD_8("iperf3 upload, 8 streams", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.35),
            Metric.BEAT_SSH),
    IPERF3_UPLOAD_8_FAIRNESS("  slowest / mean stream", "ratio", Better.HIGHER, Target.atLeast(0.50), 0),
    IPERF3_DOWNLOAD_8("iperf3 download, 8 streams", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.35),
            Metric.BEAT_SSH),
    IPERF3_DOWNLOAD_8_FAIRNESS("  slowest / mean stream", "ratio", Better.HIGHER, Target.atLeast(0.50), 0),
    IPERF3_UPLOAD_1_COLD("iperf3 upload, 1 stream, cold", "Gbit/s", Better.HIGHER, Target.NONE, 0),
    WRK_KEEP_ALIVE("wrk keep-alive, " + WrkProbe.KEEP_ALIVE_CONNECTIONS + " conns", "req/s", Better.HIGHER,
            Target.fractionOfDirect(0.45), Metric.BEAT_SSH),
    WRK_NEW_CONNECTIONS("wrk conn: close, " + WrkProbe.CLOSING_CONNECTIONS + " conns", "conn/s", Better.HIGHER,
            Target.fractionOfDirect(0.30), Metric.BEAT_SSH),
    RTT_P50("round trip 1 byte, p50", "µs", Better.LOWER, Target.fractionOfDirect(0.40), Metric.BEAT_SSH),
    RTT_P99("round trip 1 byte, p99", "µs", Better.LOWER, Target.atMost(1000), Metric.BEAT_SSH),
    UPLOAD_1("java upload, 1 stream", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.40), 0),
    DOWNLOAD_1("java download, 1 stream", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.40), 0),
    UPLOAD_8("java upload, 8 streams", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.35), 0),
    UPLOAD_8_FAIRNESS("  slowest / mean stream", "ratio", Better.HIGHER, Target.atLeast(0.50), 0),
    DOWNLOAD_8("java download, 8 streams", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.35), 0),
    DOWNLOAD_8_FAIRNESS("  slowest / mean stream", "ratio", Better.HIGHER, Target.atLeast(0.50), 0),
    UPLOAD_1_COLD("java upload, 1 stream, cold", "Gbit/s", Better.HIGHER, Target.NONE, 0),
    CONNECT_RATE("java new conns, " + ConnectRateProbe.WORKERS + " workers", "conn/s", Better.HIGHER,
            Target.fractionOfDirect(0.30), 0),
    HTTP_RATE("java keep-alive, " + HttpProbe.CONNECTIONS + " conns", "req/s", Better.HIGHER,
            Target.fractionOfDirect(0.50), 0),
    SERVER_CPU_PER_GB("server CPU per GB, 1 stream", "s/GB", Better.LOWER, Target.NONE, 0),
    SERVER_KERNEL_CPU_PER_GB("  of which in the kernel", "s/GB", Better.LOWER, Target.NONE, 0),
    CLIENT_CPU_PER_GB("client CPU per GB, 1 stream", "s/GB", Better.LOWER, Target.NONE, 0),
    CLIENT_KERNEL_CPU_PER_GB("  of which in the kernel", "s/GB", Better.LOWER, Target.NONE, 0),
    SERVER_RSS_IDLE("server RSS, idle", "MiB", Better.LOWER, Target.NONE, 0),
    CLIENT_RSS_IDLE("client RSS, idle", "MiB", Better.LOWER, Target.NONE, 0),
    SERVER_RSS_OPEN("server RSS, N conns open", "MiB", Better.LOWER, Target.NONE, 0),
    CLIENT_RSS_OPEN("client RSS, N conns open", "MiB", Better.LOWER, Target.NONE, 0),
    SERVER_THREADS_OPEN("server threads, N conns open", "", Better.LOWER, Target.NONE, 0),
    CLIENT_THREADS_OPEN("client threads, N conns open", "", Better.LOWER, Target.NONE, 0),
    KIB_PER_CONNECTION("memory per conn, server+client", "KiB", Better.LOWER, Target.atMost(16), 0),
    CLIENT_STARTUP("client launch to tunnel up, median", "s", Better.LOWER, Target.atMost(0.3), 0),
    CLIENT_STARTUP_RSS("  client RSS then, idle, 1 tunnel", "MiB", Better.LOWER, Target.atMost(40), 0);

    /** The issue "Faster than ssh -R": each of its figures at least 1.2 times ssh -R's (higher is better). */
    static final double BEAT_SSH = 1.2;

    enum Better {
        HIGHER, LOWER
    }

    /** What a figure should reach; {@code bound} is a fraction of direct or a value of the tunnel's figure. */
    record Target(Kind kind, double bound) {

        enum Kind {
            NONE, FRACTION_OF_DIRECT, AT_LEAST, AT_MOST
        }

        static final Target NONE = new Target(Kind.NONE, 0);

        static Target fractionOfDirect(double bound) {
            return new Target(Kind.FRACTION_OF_DIRECT, bound);
        }

        static Target atLeast(double bound) {
            return new Target(Kind.AT_LEAST, bound);
        }

        static Target atMost(double bound) {
            return new Target(Kind.AT_MOST, bound);
        }

        /** The target as the table shows it, e.g. "≥ 0.40" (of direct) or "≤ 16". */
        String text() {
            return switch (kind) {
                case NONE -> "";
                case FRACTION_OF_DIRECT, AT_LEAST -> String.format("≥ %.2f", bound);
                case AT_MOST -> bound == Math.rint(bound) ? String.format("≤ %.0f", bound)
                        : String.format("≤ %.1f", bound);
            };
        }

        /** Whether the target is met, or null when there is none or the figures are missing. */
        Boolean met(double tunnel, double vsDirect) {
            double value = kind == Kind.FRACTION_OF_DIRECT ? vsDirect : tunnel;
            if (kind == Kind.NONE || Double.isNaN(value)) {
                return null;
            }
            return kind == Kind.AT_MOST ? value <= bound : value >= bound;
        }
    }

    final String label;
    final String unit;
    final Better better;
    final Target target;

    /** The least share of ssh -R's figure rtunnel's must reach (higher is better); 0 for none. */
    final double versusSsh;

    Metric(String label, String unit, Better better, Target target, double versusSsh) {
        this.label = label;
        this.unit = unit;
        this.better = better;
        this.target = target;
        this.versusSsh = versusSsh;
    }

    /** Whether a share of ssh -R's figure meets {@link #versusSsh}; null when there is no such target or figure. */
    Boolean metVersusSsh(double share) {
        return versusSsh == 0 || Double.isNaN(share) ? null : share >= versusSsh;
    }

    /** The name in the JSON report, e.g. "upload_1". */
    String key() {
        return name().toLowerCase();
    }
}
