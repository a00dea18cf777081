package rtunnel.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where one client may listen: the server's port range, narrowed by its key's {@code permitlisten} entries
 * when it has any. A request passes when one entry matches the host it asks for and allows its port, and
 * the server's range allows the port too.
 */
public record ListenPolicy(PortRange serverRange, List<ListenPermit> permits) {

    public ListenPolicy {
        Objects.requireNonNull(serverRange, "serverRange");
        permits = List.copyOf(permits);
    }

    /** The server's range alone: a client without a key, or a key line without {@code permitlisten}. */
    public static ListenPolicy of(PortRange serverRange) {
        return new ListenPolicy(serverRange, List.of());
    }

    /** The ports a client may listen on at {@code requestedHost}; with port 0 the server picks among these. */
    public PortPolicy portsFor(String requestedHost) {
        PortPolicy server = PortPolicy.of(serverRange);
        if (permits.isEmpty()) {
            return server;
        }
        return server.narrowedTo(matching(requestedHost).stream().map(ListenPermit::ports).toList());
    }

    /** Whether a client may listen on {@code port} of {@code requestedHost}; port 0 when a port is left to pick. */
    public boolean allows(String requestedHost, int port) {
        PortPolicy ports = portsFor(requestedHost);
        return port == 0 ? !ports.isEmpty() : ports.allows(port);
    }

    /**
     * Why {@link #allows} says no, for the client to print after {@code server refused port N: }. The host is
     * blamed when no entry matches it, or when an entry for another host would have allowed the port.
     */
    public String whyRefused(String requestedHost, int port) {
        List<ListenPermit> forPort = port == 0 || !serverRange.allows(port) ? List.of()
                : permits.stream().filter(permit -> permit.ports().allows(port)).toList();
        if (!permits.isEmpty() && (matching(requestedHost).isEmpty() || !forPort.isEmpty())) {
            return "host " + (requestedHost.isEmpty() ? "0.0.0.0" : requestedHost)
                    + " is not permitted for this key (permitlisten " + listed(forPort.isEmpty() ? permits : forPort)
                    + ")";
        }
        PortPolicy ports = portsFor(requestedHost);
        if (ports.isEmpty()) {
            return "permitlisten " + listed(matching(requestedHost)) + " leaves no port in " + serverRange;
        }
        return "outside " + ports;
    }

    private List<ListenPermit> matching(String requestedHost) {
        return permits.stream().filter(permit -> permit.host().matches(requestedHost)).toList();
    }

    private static String listed(List<ListenPermit> permits) {
        return permits.stream().map(ListenPermit::toString).collect(Collectors.joining(", "));
    }
}
