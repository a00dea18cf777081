package rtunnel.server;

import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import rtunnel.policy.AllowList;
import rtunnel.protocol.HostPort;
import rtunnel.web.DomainNames;

/**
 * How the server meets visitors - its shared web ports and domains, and who may visit - as
 * {@code rtunnel_server} options (a mixin of {@link ServerCommand}).
 */
final class VisitorOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "[HOST:]PORT",
            description = "Read HTTP requests here and relay each to the tunnel owning its Host name "
                    + "(client --hostname). A bare PORT means all interfaces.")
    String httpPort;

    @Option(names = "--https-port", paramLabel = "[HOST:]PORT",
            description = "Read TLS ClientHellos here and relay each connection, still encrypted, to the tunnel "
                    + "owning its SNI name.")
    String httpsPort;

    @Option(names = "--domain", paramLabel = "DOMAIN", split = ",",
            description = "A domain clients may own names under (repeatable); a --hostname without a dot is a "
                    + "label under the first.")
    List<String> domains;

    @Option(names = "--allow-from", paramLabel = "CIDR", split = ",",
            description = "Admit only visitors from these networks (repeatable; IPv4 or IPv6) on every public port "
                    + "and web port; others are reset at once.")
    List<String> allowFrom;

    /** The visitor settings the options describe; a bad value is a usage error naming the option. */
    VisitorSettings visitors() {
        DomainNames names;
        try {
            names = new DomainNames(domains == null ? List.of() : domains);
        } catch (IllegalArgumentException e) {
            throw invalid("--domain", e.getMessage());
        }
        InetSocketAddress http = address("--http-port", httpPort);
        InetSocketAddress https = address("--https-port", httpsPort);
        if ((http != null || https != null) && names.domains().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--http-port and --https-port need a --domain");
        }
        AllowList allowed;
        try {
            allowed = AllowList.parse(allowFrom == null ? List.of() : allowFrom);
        } catch (IllegalArgumentException e) {
            throw invalid("--allow-from", e.getMessage());
        }
        return new VisitorSettings(http, https, names, VisitorSettings.DEFAULT_HEAD_TIMEOUT, allowed);
    }

    private InetSocketAddress address(String option, String value) {
        if (value == null) {
            return null;
        }
        HostPort parsed;
        try {
            parsed = HostPort.parse(value, "", -1);
        } catch (IllegalArgumentException e) {
            throw invalid(option, e.getMessage());
        }
        return parsed.isWildcard() ? new InetSocketAddress(parsed.port())
                : new InetSocketAddress(parsed.host(), parsed.port());
    }

    private ParameterException invalid(String option, String why) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + why,
                spec.findOption(option), null);
    }
}
