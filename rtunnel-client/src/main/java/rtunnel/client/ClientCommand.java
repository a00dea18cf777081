package rtunnel.client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.auth.ProtectionMode;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.HangUpSignal;
import rtunnel.cli.LogLevel;
import rtunnel.cli.OptionEnvironment;
import rtunnel.cli.StopSignal;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Protocol;

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
            ExitCodes.USAGE + ":usage error, or an unusable key or known_hosts file (e.g. wrong passphrase)",
            ExitCodes.UNREACHABLE + ":cannot reach the server, or lost the connection",
            ExitCodes.AUTH_REFUSED + ":the server refused the key, or its host key is not the pinned or known one",
            ExitCodes.PORT_REFUSED + ":the server refused a port",
            ExitCodes.PROTOCOL_MISMATCH + ":gave up on a peer that is not an rtunnel server of this version"},
        footerHeading = "%nEnvironment:%n",
        footer = {OptionEnvironment.RULE, "RTUNNEL_KEY_PASSPHRASE holds the passphrase of an encrypted -k key "
                + "(never a flag).%n"})
final class ClientCommand implements Callable<Integer> {

    /** The server's default control port. */
    static final int DEFAULT_CONTROL_PORT = Protocol.DEFAULT_CONTROL_PORT;

    @Spec
    CommandSpec spec;

    // split: RTUNNEL_CONTROL_ADDRESS=a.example.com,b.example.com gives two servers, as two -c do.
    @Option(names = {"-c", "--control-address"}, required = true, paramLabel = "HOST[:PORT]", split = ",",
            description = "The server's control address (port " + DEFAULT_CONTROL_PORT + " when left out). "
                    + "Repeat it to fail over (the client moves on to the next server when one fails), or to "
                    + "use every one at once with --all-servers.")
    List<String> controls;

    // split: a comma-separated list is the same as repeating the option (RTUNNEL_REMOTE_LISTEN_PORT=4000,4001).
    @Option(names = {"-f", "--remote-listen-port"}, paramLabel = "[HOST:]PORT", split = ",",
            hideParamSyntax = true, parameterConsumer = TunnelRemotes.Consumer.class,
            description = "Where the server listens for visitors (a bare port: all interfaces; 0: any free "
                    + "port). Repeat with -t, or list with commas, for more tunnels.")
    List<String> remotes;

    @Mixin
    VisitorOptions visitors = new VisitorOptions();

    /** -f, --hostname and the per-tunnel options as the command line orders them. */
    final TunnelRemotes remotesInOrder = new TunnelRemotes();

    @Option(names = {"-t", "--tunnel-to"}, required = true, paramLabel = "[HOST:]PORT", split = ",",
            hideParamSyntax = true,
            description = "Where this machine sends those visitors (a bare port: localhost); "
                    + "the n-th -t goes with the n-th -f or --hostname.")
    List<String> targets;

    @Option(names = "--proxy-protocol", paramLabel = "none|v1|v2", split = ",", hideParamSyntax = true,
            description = "Send each target a PROXY protocol header (HAProxy's v1 text or v2 binary) naming the "
                    + "visitor's address before the visitor's bytes. Once: for every tunnel; as often as -f: "
                    + "the n-th goes with the n-th tunnel (default: none).")
    List<String> proxyProtocols;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", defaultValue = "error",
            description = "What to log on stderr: ${COMPLETION-CANDIDATES}.")
    LogLevel logLevel;

    @Option(names = {"-o", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait to connect, and how long the server may stay silent.")
    int timeoutSeconds;

    @Option(names = {"-k", "--private-key"}, paramLabel = "FILE",
            description = "Authenticate with this key (as ssh-keygen writes it; a passphrase comes from "
                    + "RTUNNEL_KEY_PASSPHRASE or the terminal), offered after the ssh-agent's keys.")
    Path privateKey;

    @Option(names = "--agent-key", paramLabel = "SHA256:...",
            description = "Offer only this key of the ssh-agent at SSH_AUTH_SOCK (default: each usable key "
                    + "in turn until the server accepts one).")
    String agentKey;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256:...", split = ",",
            description = "Refuse any server whose host key has another fingerprint (as ssh-keygen -l shows); "
                    + "repeat it to accept any of several.")
    List<String> serverFingerprints;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "Remember each server's host key in FILE (OpenSSH known_hosts format): record it at "
                    + "first contact, refuse a server whose key changed. Not used with --server-fingerprint. "
                    + "Default: ~/.rtunnel/known_hosts.")
    Path knownHosts;

    @Option(names = "--no-encryption",
            description = "Offer only integrity (HMAC-SHA256, payload in clear) instead of AES-256-GCM.")
    boolean noEncryption;

    @Option(names = "--all-servers",
            description = "Hold every tunnel on every -c server at once, each connection reconnecting on its own "
                    + "(servers behind a load balancer or DNS round-robin), instead of failing over.")
    boolean allServers;

    @Option(names = "--no-reconnect", description = "Exit when the connection is lost instead of reconnecting.")
    boolean noReconnect;

    @Option(names = "--max-retries", paramLabel = "N",
            description = "Give up after N failed reconnects in a row (default: never give up).")
    Integer maxRetries;

    @Option(names = "--max-backoff", paramLabel = "SECONDS", defaultValue = "10",
            description = "The longest wait between reconnect attempts (the waits double from 1 s up to it).")
    int maxBackoffSeconds;

    @Option(names = {"-q", "--quiet"},
            description = "Print nothing on stdout and no host key; reconnects and errors still go to stderr.")
    boolean quiet;

    @Option(names = "--json",
            description = "Print events as JSON objects, one a line, on stdout instead of the human lines "
                    + "(errors stay one line on stderr).")
    boolean json;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics.")
    String metrics;

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "5",
            description = "On SIGTERM or SIGINT, how long open streams may go on before the client exits.")
    int drainSeconds;

    /**
     * Connects, prints one line per tunnel, and relays until SIGTERM or SIGINT. TunnelClient's exceptions
     * become exit codes in ClientMain (see {@link rtunnel.cli.Failure}).
     */
    @Override
    // "try": the StopSignal resource is only there to be closed (its hook removed) on the way out.
    @SuppressWarnings("try")
    public Integer call() throws IOException {
        logLevel.apply();
        ClientSettings settings = settings().withIdentities(new ClientKeys(privateKey, agentKey,
                System.getenv("SSH_AUTH_SOCK"), spec.commandLine().getErr()).load());
        Duration drain = Duration.ofSeconds(drainSeconds);
        PrintedEvents.Style style = json ? PrintedEvents.Style.JSON
                : quiet ? PrintedEvents.Style.QUIET : PrintedEvents.Style.HUMAN;
        PrintedEvents events = new PrintedEvents(settings, style, spec.commandLine().getOut(),
                spec.commandLine().getErr());
        try (TunnelService client = allServers ? new AllServersClient(settings, events::forServer)
                    : new TunnelClient(settings, events);
                StopSignal stop = StopSignal.install(ClientMain.NAME, () -> client.shutdown(drain), drain)) {
            HangUpSignal.onHangUp(client::retryNow);
            if (metrics != null) {
                events.metricsListening(client.serveMetrics(new ClientArguments(spec).metricsAddress(metrics)));
            }
            client.run();
            return ExitCodes.OK;
        }
    }

    /** The settings the options describe; a bad value is a usage error naming the option. */
    ClientSettings settings() {
        ClientArguments arguments = new ClientArguments(spec);
        List<HostPort> servers = arguments.servers(controls);
        if (timeoutSeconds < 1) {
            throw invalid("--timeout", "must be at least 1 second, not " + timeoutSeconds);
        }
        if (drainSeconds < 0) {
            throw invalid("--drain", "must be at least 0, not " + drainSeconds);
        }
        if (maxRetries != null && maxRetries < 0) {
            throw invalid("--max-retries", "must be at least 0, not " + maxRetries);
        }
        if (maxBackoffSeconds < 1) {
            throw invalid("--max-backoff", "must be at least 1 second, not " + maxBackoffSeconds);
        }
        if (agentKey != null && !agentKey.startsWith("SHA256:")) {
            throw invalid("--agent-key", "'" + agentKey + "' is not of the form SHA256:...");
        }
        List<String> fingerprints = serverFingerprints == null ? List.of() : serverFingerprints;
        for (String fingerprint : fingerprints) {
            if (!fingerprint.startsWith("SHA256:")) {
                throw invalid("--server-fingerprint", "'" + fingerprint + "' is not of the form SHA256:...");
            }
        }
        if (quiet && json) {
            throw new ParameterException(spec.commandLine(), "--quiet and --json contradict each other");
        }
        int retries = noReconnect ? 0 : maxRetries == null ? ClientSettings.FOREVER : maxRetries;
        Path remembered = !fingerprints.isEmpty() ? null
                : knownHosts == null ? ClientSettings.defaultKnownHosts() : knownHosts;
        List<TunnelSpec> tunnels = visitors.withRules(arguments.tunnels(remotesInOrder, remotes, visitors.hostnames,
                targets, proxyProtocols), remotesInOrder, spec);
        return new ClientSettings(servers, tunnels,
                Duration.ofSeconds(timeoutSeconds), List.of(), fingerprints, retries,
                noEncryption ? ProtectionMode.INTEGRITY_ONLY : ProtectionMode.DEFAULT, remembered,
                Duration.ofSeconds(maxBackoffSeconds));
    }

    private ParameterException invalid(String option, String why) {
        return ClientArguments.invalid(spec, option, why);
    }
}
