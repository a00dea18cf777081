package rtunnel.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.LogLevel;
import rtunnel.cli.StopSignal;
import rtunnel.protocol.HostPort;

/**
 * The {@code rtunnel_client} command line. It holds no logger: {@link #call()} sets the log level before
 * anything creates one.
 */
@Command(name = ClientMain.NAME, mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Connects to an rtunnel server, asks it to listen on public ports, and relays every "
                + "visitor there to a local service.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":stopped cleanly (SIGTERM, SIGINT)",
            ExitCodes.INTERNAL + ":internal error",
            ExitCodes.USAGE + ":usage error",
            ExitCodes.UNREACHABLE + ":cannot reach the server, or lost the connection",
            ExitCodes.AUTH_REFUSED + ":the server refused the key",
            ExitCodes.PORT_REFUSED + ":the server refused a port",
            ExitCodes.PROTOCOL_MISMATCH + ":the server is not an rtunnel server of this version"})
final class ClientCommand implements Callable<Integer> {

    /** The server's default control port (ServerSettings.DEFAULT_CONTROL_PORT; this module cannot see it). */
    static final int DEFAULT_CONTROL_PORT = 19050;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--control-address"}, required = true, paramLabel = "HOST[:PORT]",
            description = "The server's control address (port " + DEFAULT_CONTROL_PORT
                    + " when left out).")
    String control;

    @Option(names = {"-f", "--remote-listen-port"}, required = true, paramLabel = "[HOST:]PORT",
            description = "Where the server listens for visitors (a bare port: all interfaces; 0: any free "
                    + "port). Repeat with -t for more tunnels.")
    List<String> remotes;

    @Option(names = {"-t", "--tunnel-to"}, required = true, paramLabel = "[HOST:]PORT",
            description = "Where this machine sends those visitors (a bare port: localhost); "
                    + "the n-th -t goes with the n-th -f.")
    List<String> targets;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", defaultValue = "error",
            description = "What to log on stderr: ${COMPLETION-CANDIDATES}.")
    LogLevel logLevel;

    @Option(names = {"-o", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait to connect, and how long the server may stay silent.")
    int timeoutSeconds;

    /**
     * Connects, prints one line per tunnel, and relays until SIGTERM or SIGINT. TunnelClient's exceptions
     * become exit codes in ClientMain (see {@link rtunnel.cli.Failure}).
     */
    @Override
    // "try": the StopSignal resource is only there to be closed (its hook removed) on the way out.
    @SuppressWarnings("try")
    public Integer call() throws IOException {
        logLevel.apply();
        ClientSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        ClientEvents events = (tunnel, bound) -> {
            out.println(ClientMain.NAME + ": " + new HostPort(settings.server().host(), bound.port())
                    + " -> " + tunnel.target());
            out.flush();
        };
        try (TunnelClient client = new TunnelClient(settings, events);
                StopSignal stop = StopSignal.install(ClientMain.NAME, client::close)) {
            client.run();
            return ExitCodes.OK;
        }
    }

    /** The settings the options describe; a bad value is a usage error naming the option. */
    ClientSettings settings() {
        HostPort server;
        try {
            server = HostPort.parse(control, "localhost", DEFAULT_CONTROL_PORT);
        } catch (IllegalArgumentException e) {
            throw invalid("--control-address", e.getMessage());
        }
        if (server.host().isEmpty()) {
            throw invalid("--control-address", "'" + control + "' needs a host");
        }
        if (timeoutSeconds < 1) {
            throw invalid("--timeout", "must be at least 1 second, not " + timeoutSeconds);
        }
        return new ClientSettings(server, tunnels(), Duration.ofSeconds(timeoutSeconds));
    }

    private List<TunnelSpec> tunnels() {
        if (remotes.size() != targets.size()) {
            throw new ParameterException(spec.commandLine(), "give -f and -t in pairs: found " + remotes.size()
                    + " -f/--remote-listen-port but " + targets.size() + " -t/--tunnel-to");
        }
        List<TunnelSpec> tunnels = new ArrayList<>();
        for (int i = 0; i < remotes.size(); i++) {
            try {
                tunnels.add(TunnelSpec.parse(remotes.get(i), targets.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid tunnel '-f " + remotes.get(i)
                        + " -t " + targets.get(i) + "': " + e.getMessage());
            }
        }
        return tunnels;
    }

    private ParameterException invalid(String option, String why) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + why);
    }
}
