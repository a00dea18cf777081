package rtunnel.client;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import rtunnel.auth.ClientIdentity;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.NameAccepted;

/** What a running client reports to whoever started it (the command prints these lines). */
public interface ClientEvents {

    /**
     * The server listens for {@code spec} at {@code remote}: the server's host as the client reaches it, and
     * the public port the server bound (the real one when 0 was asked).
     */
    void tunnelUp(TunnelSpec spec, HostPort remote);

    /**
     * The server routes the visitors of {@code accepted}'s name to {@code spec}. By default reported as
     * {@link #tunnelUp} at the name and the HTTP port.
     */
    default void nameUp(TunnelSpec spec, NameAccepted accepted) {
        tunnelUp(spec, new HostPort(accepted.name(), accepted.httpPort()));
    }

    /** The session that carried {@code spec} at {@code remote} ended, for {@code reason}. */
    default void tunnelDown(TunnelSpec spec, HostPort remote, String reason) {
    }

    /**
     * The last attempt failed for {@code reason}; the client waits {@code delay} (zero when it moves on to
     * another server at once) before attempt {@code attempt}, on {@code server}.
     */
    default void reconnecting(int attempt, Duration delay, String reason, HostPort server) {
    }

    /** The metrics endpoint ({@code --metrics}) is bound at {@code address}. */
    default void metricsListening(InetSocketAddress address) {
    }

    /** The server proved it holds the key with this {@code SHA256:} fingerprint. */
    default void serverIdentified(HostPort server, String fingerprint) {
    }

    /** The server accepted {@code key}, after refusing the {@code refused} keys the client offered before it. */
    default void keyAccepted(HostPort server, ClientIdentity key, int refused) {
    }

    /** First contact: the server's host key, with this fingerprint, is now recorded in known_hosts {@code file}. */
    default void hostKeyRecorded(HostPort server, String fingerprint, Path file) {
    }

    /** Visitors of {@code spec} at {@code remote} are reset: its target fails, for {@code reason}. Once per outage. */
    default void targetFailing(TunnelSpec spec, HostPort remote, String reason) {
    }

    /** The target of {@code spec} at {@code remote} takes connections again after failing. */
    default void targetBack(TunnelSpec spec, HostPort remote) {
    }

    /**
     * With --all-servers: the client gave up on {@code server} for {@code reason} (a refusal, or the retries
     * used up) and goes on with the others; alone, it would have exited with {@code exitCode}.
     */
    default void gaveUpOnServer(HostPort server, String reason, int exitCode) {
    }
}
