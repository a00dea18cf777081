package rtunnel.policy;

/** The public ports a server lets clients listen on, both ends included. */
public record PortRange(int lowest, int highest) {

    /** Every port a client may name: 1 to 65535. */
    public static final PortRange ALL = new PortRange(1, 65535);

    public PortRange {
        if (lowest < 1 || highest > 65535) {
            throw new IllegalArgumentException("port range " + lowest + "-" + highest + " must lie within 1-65535");
        }
        if (lowest > highest) {
            throw new IllegalArgumentException(
                    "lowest port " + lowest + " is above highest port " + highest);
        }
    }

    /** Whether a client may listen on {@code port}. */
    public boolean allows(int port) {
        return port >= lowest && port <= highest;
    }

    /** How many ports the range holds. */
    public int size() {
        return highest - lowest + 1;
    }

    /** The range both this and {@code other} allow, or {@code null} when they do not overlap. */
    public PortRange intersect(PortRange other) {
        int low = Math.max(lowest, other.lowest);
        int high = Math.min(highest, other.highest);
        return low <= high ? new PortRange(low, high) : null;
    }

    @Override
    public String toString() {
        return lowest == highest ? Integer.toString(lowest) : lowest + "-" + highest;
    }
}
