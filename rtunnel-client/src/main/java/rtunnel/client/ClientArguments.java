package rtunnel.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Protocol;

/**
 * The client's servers and tunnels as its {@code -c}, {@code -f}, {@code -t} and {@code --proxy-protocol}
 * values give them; a bad value is a usage error naming its option.
 */
final class ClientArguments {

    private final CommandSpec spec;

    ClientArguments(CommandSpec spec) {
        this.spec = spec;
    }

    /** The servers of the {@code -c} values, in order, each once. */
    List<HostPort> servers(List<String> controls) {
        List<HostPort> servers = new ArrayList<>();
        for (String control : controls) {
            HostPort server;
            try {
                server = HostPort.parse(control, "localhost", Protocol.DEFAULT_CONTROL_PORT);
            } catch (IllegalArgumentException e) {
                throw invalid(spec, "--control-address", e.getMessage());
            }
            if (server.host().isEmpty()) {
                throw invalid(spec, "--control-address", "'" + control + "' needs a host");
            }
            if (servers.contains(server)) {
                throw invalid(spec, "--control-address", server + " is given twice");
            }
            servers.add(server);
        }
        return servers;
    }

    /** The address of the {@code --metrics} value: a bare port is on loopback. */
    InetSocketAddress metricsAddress(String metrics) {
        try {
            HostPort parsed = HostPort.parse(metrics, "127.0.0.1", -1);
            return new InetSocketAddress(parsed.host(), parsed.port());
        } catch (IllegalArgumentException e) {
            throw invalid(spec, "--metrics", e.getMessage());
        }
    }

    /**
     * The tunnels of the {@code -f} (or {@code --hostname}) and {@code -t} pairs, each with its PROXY protocol
     * version. Values from the environment ({@code RTUNNEL_REMOTE_LISTEN_PORT}, {@code RTUNNEL_HOSTNAME})
     * come after the command line's, ports first.
     */
    List<TunnelSpec> tunnels(TunnelRemotes inOrder, List<String> remotes, List<String> hostnames, List<String> targets,
            List<String> proxyProtocols) {
        List<TunnelRemotes.Remote> all = new ArrayList<>(inOrder.given());
        if (!inOrder.gave(false) && remotes != null) {
            remotes.forEach(text -> all.add(new TunnelRemotes.Remote(text, false)));
        }
        if (!inOrder.gave(true) && hostnames != null) {
            hostnames.forEach(text -> all.add(new TunnelRemotes.Remote(text, true)));
        }
        List<String> to = targets == null ? List.of() : targets;
        if (all.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--remote-listen-port' or "
                    + "'--hostname'");
        }
        if (all.size() != to.size()) {
            boolean named = all.stream().anyMatch(TunnelRemotes.Remote::named);
            throw new ParameterException(spec.commandLine(), "give -f" + (named ? " (or --hostname)" : "")
                    + " and -t in pairs: found " + all.size() + " -f/--remote-listen-port" + (named ? " or --hostname"
                    : "") + " but " + to.size() + " -t/--tunnel-to");
        }
        List<ProxyProtocol> proxies = proxyProtocols(proxyProtocols, all.size());
        List<TunnelSpec> tunnels = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            TunnelRemotes.Remote remote = all.get(i);
            try {
                TunnelSpec tunnel = remote.named() ? TunnelSpec.named(remote.text(), to.get(i))
                        : TunnelSpec.parse(remote.text(), to.get(i));
                tunnels.add(tunnel.withProxy(proxies.get(i)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid tunnel '" + (remote.named() ? "--hostname "
                        : "-f ") + remote.text() + " -t " + to.get(i) + "': " + e.getMessage());
            }
        }
        return tunnels;
    }

    /** One PROXY protocol version per tunnel: none given, one for all, or one for each -f. */
    private List<ProxyProtocol> proxyProtocols(List<String> proxyProtocols, int tunnels) {
        List<String> texts = proxyProtocols == null ? List.of() : proxyProtocols;
        int given = texts.size();
        if (given > 1 && given != tunnels) {
            throw new ParameterException(spec.commandLine(), "give --proxy-protocol once or once per -f: found "
                    + given + " --proxy-protocol but " + tunnels + " -f/--remote-listen-port");
        }
        List<ProxyProtocol> proxies = new ArrayList<>();
        for (int i = 0; i < tunnels; i++) {
            String text = given == 0 ? "none" : texts.get(given == 1 ? 0 : i);
            try {
                proxies.add(ProxyProtocol.parse(text));
            } catch (IllegalArgumentException e) {
                throw invalid(spec, "--proxy-protocol", e.getMessage());
            }
        }
        return proxies;
    }

    /** A usage error about {@code option}'s value. */
    static ParameterException invalid(CommandSpec spec, String option, String why) {
        // The option goes with the error, so that ClientMain can say when its value came from the environment.
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + why,
                spec.findOption(option), null);
    }
}
