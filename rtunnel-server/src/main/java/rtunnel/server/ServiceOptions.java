package rtunnel.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.cli.Failure;
import rtunnel.protocol.HostPort;

/**
 * The services a server may offer beside its control port, each off unless asked for: Prometheus metrics and
 * the gateway for stock ssh clients ({@code rtunnel_server} options, a picocli mixin of {@link ServerCommand}).
 */
final class ServiceOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics, and health checks for load "
                    + "balancers on /health, /health/port/PORT and /health/name/NAME.")
    String metrics;

    @Option(names = "--ssh-port", paramLabel = "[HOST:]PORT",
            description = "Also accept stock OpenSSH clients here (ssh -N -R PORT:HOST:PORT, or -R NAME:80:HOST:PORT "
                    + "for a web name): same host key, keys (-a), port and name rules; only remote forwards. "
                    + "Default: off.")
    String sshPort;

    /**
     * Serves metrics when asked: before the control port, so that the first client is already counted. Returns
     * the address bound, or null when not asked.
     */
    InetSocketAddress serveMetrics(TunnelServer server) throws IOException {
        if (metrics == null) {
            return null;
        }
        // A bare port is on loopback: metrics are for the operator, not for the world.
        HostPort parsed = parse("--metrics", metrics, "127.0.0.1");
        return server.serveMetrics(new InetSocketAddress(parsed.host(), parsed.port()));
    }

    /** Serves the ssh gateway when asked; an address it cannot bind is one line naming it. */
    void serveSsh(TunnelServer server) throws IOException {
        if (sshPort == null) {
            return;
        }
        HostPort parsed = parse("--ssh-port", sshPort, "");
        InetSocketAddress address = parsed.isWildcard() ? new InetSocketAddress(parsed.port())
                : new InetSocketAddress(parsed.host(), parsed.port());
        try {
            server.serveSsh(address);
        } catch (IOException e) {
            throw new IOException("cannot listen for ssh clients on " + sshPort + ": " + Failure.describe(e), e);
        }
    }

    /** {@code value}, an address to bind, with {@code defaultHost} when it names only a port. */
    private HostPort parse(String option, String value, String defaultHost) {
        try {
            return HostPort.parse(value, defaultHost, -1);
        } catch (IllegalArgumentException e) {
            // The option goes with the error, so that ServerMain can say when its value came from the environment.
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': "
                    + e.getMessage(), spec.findOption(option), null);
        }
    }
}
