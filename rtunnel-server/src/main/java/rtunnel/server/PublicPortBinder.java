package rtunnel.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import rtunnel.policy.PortPolicy;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/** Binds the public listener a client asked for, within the server's port range, or says why not. */
final class PublicPortBinder {

    /**
     * Backlog of a public listener: visitors queue here while the accept thread opens streams. A burst of
     * thousands of visitors at once (measured: 5,000 on Java 17, where each stream's threads take a while to
     * create) overflowed 512, and the kernel reset some of them; 4096 is Linux's default cap
     * ({@code net.core.somaxconn}), so asking more would not help.
     */
    private static final int BACKLOG = 4096;

    private final RandomGenerator random;
    private final List<InetAddress> allowed;

    /** {@code allowed}: the addresses clients may listen on; empty means any. */
    PublicPortBinder(RandomGenerator random, List<InetAddress> allowed) {
        this.random = random;
        this.allowed = List.copyOf(allowed);
    }

    /**
     * Binds {@code requested} if {@code policy} allows its port; port 0 picks a free port the policy allows.
     *
     * @throws RefusedException naming the port and the reason, for the client to print
     */
    ServerSocket bind(HostPort requested, PortPolicy policy) throws RefusedException {
        InetAddress address = resolve(requested);
        if (requested.port() == 0) {
            return bindAnyPort(requested, address, policy);
        }
        if (!policy.allows(requested.port())) {
            throw refused(requested, Refusal.PORT_NOT_ALLOWED, "outside " + policy);
        }
        try {
            return bind(address, requested.port());
        } catch (IOException e) {
            throw refusal(requested, e);
        }
    }

    private ServerSocket bindAnyPort(HostPort requested, InetAddress address, PortPolicy policy)
            throws RefusedException {
        if (policy.isEverything()) {
            try {
                return bind(address, 0);
            } catch (IOException e) {
                throw refusal(requested, e);
            }
        }
        for (PortRange range : policy.ranges()) {
            int start = random.nextInt(range.size());
            for (int i = 0; i < range.size(); i++) {
                int port = range.lowest() + (start + i) % range.size();
                try {
                    return bind(address, port);
                } catch (BindException e) {
                    if (!isInUse(e)) {
                        throw refusal(requested, e);
                    }
                    // Taken: try the next port in the range.
                } catch (IOException e) {
                    throw refusal(requested, e);
                }
            }
        }
        throw refused(requested, Refusal.PORT_IN_USE, "no free port in " + policy);
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // Lets a port be reused while old visitor connections linger in TIME_WAIT after a restart.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), BACKLOG);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The address to bind: null for all interfaces; with --public-bind, only an allowed address. */
    private InetAddress resolve(HostPort requested) throws RefusedException {
        if (requested.isWildcard()) {
            return allowed.isEmpty() ? null : allowed.get(0);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(requested.host());
        } catch (UnknownHostException e) {
            throw refused(requested, Refusal.ADDRESS_UNAVAILABLE, "cannot resolve " + requested.host());
        }
        if (!allowed.isEmpty() && !allowed.contains(address)) {
            throw refused(requested, Refusal.ADDRESS_UNAVAILABLE, "this server lets clients listen only on "
                    + allowed.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
        }
        return address;
    }

    private static boolean isInUse(IOException e) {
        return String.valueOf(e.getMessage()).contains("already in use");
    }

    private static RefusedException refusal(HostPort requested, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (isInUse(e)) {
            return refused(requested, Refusal.PORT_IN_USE, "port " + requested.port() + " is in use");
        }
        if (message.contains("assign requested address")) {
            return refused(requested, Refusal.ADDRESS_UNAVAILABLE, "address " + requested.host()
                    + " is not available on the server");
        }
        return refused(requested, Refusal.ADDRESS_UNAVAILABLE, message);
    }

    private static RefusedException refused(HostPort requested, Refusal refusal, String reason) {
        return new RefusedException(refusal, "server refused port " + requested.port(), reason);
    }
}
