package rtunnel.server;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.relay.SocketThreads;

/**
 * The server's limits against abuse, as {@code rtunnel_server} options (a picocli mixin of
 * {@link ServerCommand}). The defaults are {@link ServerLimits#DEFAULTS}, whose comments say why.
 */
final class LimitOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "1000",
            description = "Control connections at once, handshaking ones included; more are turned away.")
    int maxClients;

    @Option(names = "--max-startups", paramLabel = "START:RATE:FULL", defaultValue = "200:30:500",
            description = "Handshakes under way, as sshd's MaxStartups: from START on, a new connection makes "
                    + "a drop with RATE%% chance, rising to 100%% at FULL. The handshake dropped is the one with "
                    + "the least recent progress, the new one included. A single N means N:100:N.")
    String maxStartups;

    @Option(names = "--per-source-max-startups", paramLabel = "N", defaultValue = "20",
            description = "Handshakes under way from one address (IPv6: one /64); beyond, that source's own "
                    + "handshake with the least recent progress is dropped.")
    int perSourceMaxStartups;

    @Option(names = "--max-tunnels-per-client", paramLabel = "N", defaultValue = "64",
            description = "Public ports one client may hold.")
    int maxTunnelsPerClient;

    @Option(names = "--max-streams-per-tunnel", paramLabel = "N",
            description = "Visitors at once on one public port; more are reset. Default: 16384 on Java 21+, "
                    + "6144 on Java 17-20 (two platform threads each).")
    Integer maxStreamsPerTunnel;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long a new connection may take to authenticate.")
    int handshakeTimeoutSeconds;

    /** The limits the options describe; a bad value is a usage error naming the option. */
    ServerLimits limits() {
        atLeast("--max-clients", maxClients, 1);
        atLeast("--per-source-max-startups", perSourceMaxStartups, 1);
        atLeast("--max-tunnels-per-client", maxTunnelsPerClient, 1);
        int streamsPerTunnel = maxStreamsPerTunnel != null ? maxStreamsPerTunnel
                : ServerLimits.defaultStreamsPerTunnel(SocketThreads.virtualAvailable());
        atLeast("--max-streams-per-tunnel", streamsPerTunnel, 1);
        atLeast("--handshake-timeout", handshakeTimeoutSeconds, 1);
        MaxStartups startups;
        try {
            startups = MaxStartups.parse(maxStartups);
        } catch (IllegalArgumentException e) {
            throw invalid("--max-startups", e.getMessage());
        }
        return new ServerLimits(maxClients, startups, perSourceMaxStartups, maxTunnelsPerClient,
                streamsPerTunnel, Duration.ofSeconds(handshakeTimeoutSeconds));
    }

    private void atLeast(String option, int value, int least) {
        if (value < least) {
            throw invalid(option, "must be at least " + least + ", not " + value);
        }
    }

    private ParameterException invalid(String option, String why) {
        // The option goes with the error, so that ServerMain can say when its value came from the environment.
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + why,
                spec.findOption(option), null);
    }
}
