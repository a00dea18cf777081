package rtunnel.bench;

/**
 * Every figure the benchmark reports, with its unit, which way is better, and the target the "Speed and
 * scale" issue sets for it. Speed targets compare the tunnel with a direct connection as a fraction of
 * direct performance: tunnel ÷ direct for rates, direct ÷ tunnel for times, so higher is better for all.
 */
enum Metric {
    UPLOAD_1("upload, 1 stream", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.40)),
    DOWNLOAD_1("download, 1 stream", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.40)),
    UPLOAD_8("upload, 8 streams", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.35)),
    UPLOAD_8_FAIRNESS("  slowest / mean stream", "ratio", Better.HIGHER, Target.atLeast(0.50)),
    DOWNLOAD_8("download, 8 streams", "Gbit/s", Better.HIGHER, Target.fractionOfDirect(0.35)),
    DOWNLOAD_8_FAIRNESS("  slowest / mean stream", "ratio", Better.HIGHER, Target.atLeast(0.50)),
    RTT_P50("round trip 1 byte, p50", "µs", Better.LOWER, Target.fractionOfDirect(0.25)),
    RTT_P99("round trip 1 byte, p99", "µs", Better.LOWER, Target.NONE),
    CONNECT_RATE("new connections, " + ConnectRateProbe.WORKERS + " workers", "conn/s", Better.HIGHER,
            Target.fractionOfDirect(0.30)),
    HTTP_RATE("HTTP keep-alive, " + HttpProbe.CONNECTIONS + " conns", "req/s", Better.HIGHER,
            Target.fractionOfDirect(0.50)),
    SERVER_CPU_PER_GB("server CPU per GB, 1 stream", "s/GB", Better.LOWER, Target.NONE),
    SERVER_KERNEL_CPU_PER_GB("  of which in the kernel", "s/GB", Better.LOWER, Target.NONE),
    CLIENT_CPU_PER_GB("client CPU per GB, 1 stream", "s/GB", Better.LOWER, Target.NONE),
    CLIENT_KERNEL_CPU_PER_GB("  of which in the kernel", "s/GB", Better.LOWER, Target.NONE),
    SERVER_RSS_IDLE("server RSS, idle", "MiB", Better.LOWER, Target.NONE),
    CLIENT_RSS_IDLE("client RSS, idle", "MiB", Better.LOWER, Target.NONE),
    SERVER_RSS_OPEN("server RSS, N conns open", "MiB", Better.LOWER, Target.NONE),
    CLIENT_RSS_OPEN("client RSS, N conns open", "MiB", Better.LOWER, Target.NONE),
    SERVER_THREADS_OPEN("server threads, N conns open", "", Better.LOWER, Target.NONE),
    CLIENT_THREADS_OPEN("client threads, N conns open", "", Better.LOWER, Target.NONE),
    KIB_PER_CONNECTION("memory per conn, server+client", "KiB", Better.LOWER, Target.atMost(16));

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
                case AT_MOST -> String.format("≤ %.0f", bound);
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

    Metric(String label, String unit, Better better, Target target) {
        this.label = label;
        this.unit = unit;
        this.better = better;
        this.target = target;
    }

    /** The name in the JSON report, e.g. "upload_1". */
    String key() {
        return name().toLowerCase();
    }
}
