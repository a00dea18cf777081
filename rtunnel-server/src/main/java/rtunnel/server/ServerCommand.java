package rtunnel.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.cli.AddressText;
import rtunnel.auth.KeyFileException;
import rtunnel.auth.ProtectionMode;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.Failure;
import rtunnel.cli.HangUpSignal;
import rtunnel.cli.LogLevel;
import rtunnel.cli.OptionEnvironment;
import rtunnel.cli.StopSignal;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.relay.SocketThreads;

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
            ExitCodes.USAGE + ":usage error, or an unusable key file (-a, --host-key)",
            ExitCodes.UNREACHABLE + ":cannot listen on the control address, or stopped accepting clients"},
        footerHeading = "%nEnvironment:%n",
        footer = OptionEnvironment.RULE + "%n")
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
            description = "Send a keep-alive after this long without sending anything; a client silent for "
                    + ServerSettings.SILENT_INTERVALS_BEFORE_DEAD + " times this long is dropped.")
    int keepAliveSeconds;

    @Option(names = {"-a", "--authorized-keys"}, paramLabel = "FILE",
            description = "Admit only clients whose key is listed in FILE (authorized_keys or known_hosts "
                    + "lines; read again when it changes or on SIGHUP). Without it, any client may connect.")
    Path authorizedKeys;

    @Option(names = "--host-key", paramLabel = "FILE",
            description = "The server's identity key (any key ssh-keygen writes); a new ed25519 key is "
                    + "created there if the file is missing. Default: ~/.rtunnel/host_ed25519_key.")
    Path hostKey;

    @Option(names = "--no-encryption",
            description = "Agree only to integrity (HMAC-SHA256, payload in clear), e.g. to inspect traffic.")
    boolean noEncryption;

    @Option(names = "--require-encryption",
            description = "Refuse clients that do not offer AES-256-GCM encryption.")
    boolean requireEncryption;

    @Option(names = "--json",
            description = "Print events as JSON objects, one a line, on stdout instead of the human lines "
                    + "(errors stay one line on stderr).")
    boolean json;

    @Option(names = "--public-bind", paramLabel = "ADDRESS", split = ",",
            description = "The only addresses clients may listen on (repeatable); a client asking for all "
                    + "interfaces gets the first. Default: any address.")
    List<String> publicBind;

    @Mixin
    ServiceOptions services = new ServiceOptions();

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "5",
            description = "On SIGTERM or SIGINT, how long open streams may go on before the server exits.")
    int drainSeconds;

    @Mixin
    VisitorOptions visitorOptions = new VisitorOptions();

    @Mixin
    LimitOptions limits = new LimitOptions();

    /** Binds, prints the bound address, and serves until SIGTERM or SIGINT. */
    @Override
    // "try": the StopSignal resource is only there to be closed (its hook removed) on the way out.
    @SuppressWarnings("try")
    public Integer call() throws IOException, InterruptedException {
        logLevel.apply();
        ServerSettings settings = settings();
        Duration drain = Duration.ofSeconds(drainSeconds);
        ServerEvents events = new PrintedServerEvents(json, authorizedKeys == null, spec.commandLine().getOut(),
                spec.commandLine().getErr());
        try (TunnelServer server = new TunnelServer(settings, new SocketThreads(), events);
                StopSignal stop = StopSignal.install(ServerMain.NAME, () -> server.shutdown(drain), drain)) {
            InetSocketAddress metricsAddress = services.serveMetrics(server);
            // Prints the "listening" lines (PrintedServerEvents) once bound, before accepting any client.
            start(server, settings.controlAddress());
            services.serveSsh(server);
            // After "listening", which scripts expect first.
            if (metricsAddress != null) {
                events.metricsListening(metricsAddress);
            }
            HangUpSignal.onHangUp(server::reloadAuthorizedKeys);
            server.awaitClosed();
            if (server.failure() != null) {
                throw server.failure();
            }
            return ExitCodes.OK;
        }
    }

    /** The settings the options describe; a bad value is a usage error naming the option. */
    ServerSettings settings() {
        InetSocketAddress address = controlAddress();
        checkPort("--lowest-listen-port", lowestPort);
        checkPort("--highest-listen-port", highestPort);
        atLeast("--keep-alive", keepAliveSeconds, 1);
        atLeast("--drain", drainSeconds, 0);
        if (noEncryption && requireEncryption) {
            throw new ParameterException(spec.commandLine(),
                    "--no-encryption and --require-encryption contradict each other");
        }
        List<ProtectionMode> protections = noEncryption ? ProtectionMode.INTEGRITY_ONLY
                : requireEncryption ? ProtectionMode.ENCRYPTED_ONLY : ProtectionMode.DEFAULT;
        try {
            return new ServerSettings(address, new PortRange(lowestPort, highestPort),
                    Duration.ofSeconds(keepAliveSeconds), authorizedKeys,
                    hostKey == null ? ServerSettings.defaultHostKey() : hostKey,
                    limits.limits(), protections, publicBindAddresses(), visitorOptions.visitors());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<InetAddress> publicBindAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        for (String address : publicBind == null ? List.<String>of() : publicBind) {
            try {
                addresses.add(InetAddress.getByName(address.replaceAll("^\\[|\\]$", "")));
            } catch (UnknownHostException e) {
                throw invalid("--public-bind", "cannot resolve " + address);
            }
        }
        return addresses;
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
        } catch (KeyFileException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot listen for clients on " + shown + ": " + Failure.describe(e), e);
        }
    }

    private void atLeast(String option, int value, int least) {
        if (value < least) {
            throw invalid(option, "must be at least " + least + ", not " + value);
        }
    }

    private void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw invalid(option, "port " + port + " is not between 1 and 65535");
        }
    }

    private ParameterException invalid(String option, String why) {
        // The option goes with the error, so that ServerMain can say when its value came from the environment.
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + why,
                spec.findOption(option), null);
    }
}
