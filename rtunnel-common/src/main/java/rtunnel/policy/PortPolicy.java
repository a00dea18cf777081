package rtunnel.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The public ports one client may listen on at one host: the server's range, narrowed by the entries of
 * the client key's {@code permitlisten} options that match the host, when it has any (see {@link ListenPolicy}).
 */
public record PortPolicy(List<PortRange> ranges) {

    public PortPolicy {
        ranges = List.copyOf(ranges);
    }

    /** The server's range alone. */
    public static PortPolicy of(PortRange range) {
        return new PortPolicy(List.of(range));
    }

    /**
     * This policy narrowed to the ports in {@code permitted} (the ranges of the key's permitlisten entries
     * that match the host asked for). An empty list leaves no port, nor may any other list that does not
     * overlap.
     */
    public PortPolicy narrowedTo(List<PortRange> permitted) {
        List<PortRange> narrowed = new ArrayList<>();
        for (PortRange mine : ranges) {
            for (PortRange theirs : permitted) {
                PortRange both = mine.intersect(theirs);
                if (both != null) {
                    narrowed.add(both);
                }
            }
        }
        return new PortPolicy(narrowed);
    }

    /** Whether a client may listen on {@code port}. */
    public boolean allows(int port) {
        return ranges.stream().anyMatch(range -> range.allows(port));
    }

    /** Whether no port is left. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether this is every port there is (then port 0 may be left to the operating system). */
    public boolean isEverything() {
        return ranges.contains(PortRange.ALL);
    }

    /** "3000-3999", or "4000, 4005-4010"; "no port" when nothing is left. */
    @Override
    public String toString() {
        return ranges.isEmpty() ? "no port" : ranges.stream().map(PortRange::toString).collect(Collectors.joining(", "));
    }
}
