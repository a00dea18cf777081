package rtunnel.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.cli.AddressText;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.Failure;
import rtunnel.cli.LogLevel;
import rtunnel.cli.StopSignal;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;

/**
 * The {@code rtunnel_server} command line. It holds no logger: {@link #call()} sets the log level before
 * anything creates one.
 */
@Command(name = ServerMain.NAME, mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = "Accepts rtunnel clients and listens on public ports for them, relaying each visitor "
                + "back through the client's one connection.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":stopped cleanly (SIGTERM, SIGINT)",
            ExitCodes.INTERNAL + ":internal error",
            ExitCodes.USAGE + ":usage error",
            ExitCodes.UNREACHABLE + ":cannot listen on the control address"})
final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--control"}, paramLabel = "ADDRESS",
            defaultValue = "0.0.0.0:" + ServerSettings.DEFAULT_CONTROL_PORT,
            description = "Where clients connect: PORT, HOST, HOST:PORT or [IPV6]:PORT.")
    String control;

    @Option(names = {"-p", "--lowest-listen-port"}, paramLabel = "PORT", defaultValue = "1",
            description = "The lowest public port a client may ask for.")
    int lowestPort;

    @Option(names = {"-P", "--highest-listen-port"}, paramLabel = "PORT", defaultValue = "65535",
            description = "The highest public port a client may ask for.")
    int highestPort;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", defaultValue = "error",
            description = "What to log on stderr: ${COMPLETION-CANDIDATES}.")
    LogLevel logLevel;

    @Option(names = {"-k", "--keep-alive"}, paramLabel = "SECONDS", defaultValue = "2",
            description = "Send a keep-alive after this long without sending anything.")
    int keepAliveSeconds;

    /** Binds, prints the bound address, and serves until SIGTERM or SIGINT. */
    @Override
    // "try": the StopSignal resource is only there to be closed (its hook removed) on the way out.
    @SuppressWarnings("try")
    public Integer call() throws IOException, InterruptedException {
        logLevel.apply();
        ServerSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        try (TunnelServer server = new TunnelServer(settings);
                StopSignal stop = StopSignal.install(ServerMain.NAME, server::close)) {
            start(server, settings.controlAddress());
            out.println(ServerMain.NAME + ": listening for clients on " + AddressText.of(server.controlAddress()));
            out.flush();
            server.awaitClosed();
            return ExitCodes.OK;
        }
    }

    /** The settings the options describe; a bad value is a usage error naming the option. */
    ServerSettings settings() {
        InetSocketAddress address = controlAddress();
        checkPort("--lowest-listen-port", lowestPort);
        checkPort("--highest-listen-port", highestPort);
        if (keepAliveSeconds < 1) {
            throw invalid("--keep-alive", "must be at least 1 second, not " + keepAliveSeconds);
        }
        try {
            return new ServerSettings(address, new PortRange(lowestPort, highestPort),
                    Duration.ofSeconds(keepAliveSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private InetSocketAddress controlAddress() {
        HostPort parsed;
        try {
            parsed = HostPort.parse(control, "", ServerSettings.DEFAULT_CONTROL_PORT);
        } catch (IllegalArgumentException e) {
            throw invalid("--control", e.getMessage());
        }
        // An empty host (a bare port) or * means every interface; 0.0.0.0 and [::] are bound as written.
        return parsed.host().isEmpty() || parsed.host().equals("*")
                ? new InetSocketAddress(parsed.port())
                : new InetSocketAddress(parsed.host(), parsed.port());
    }

    private static void start(TunnelServer server, InetSocketAddress address) throws IOException {
        String shown = address.isUnresolved()
                ? new HostPort(address.getHostString(), address.getPort()).toString()
                : AddressText.of(address);
        try {
            if (address.isUnresolved()) {
                throw new UnknownHostException(address.getHostString());
            }
            server.start();
        } catch (IOException e) {
            throw new IOException("cannot listen for clients on " + shown + ": " + Failure.describe(e), e);
        }
    }

    private void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw invalid(option, "port " + port + " is not between 1 and 65535");
        }
    }

    private ParameterException invalid(String option, String why) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + why);
    }
}
