package rtunnel.client;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ParameterException;
import rtunnel.policy.AddressBlock;
import rtunnel.policy.AllowList;
import rtunnel.protocol.VisitorRules;

/**
 * The client's options for tunnels by name and for who may visit each tunnel (a mixin of
 * {@link ClientCommand}). {@code --allow-from} and {@code --basic-auth} belong to the tunnel they follow, or,
 * before the first tunnel (and from the environment), to every tunnel.
 */
final class VisitorOptions {

    @Option(names = "--hostname", paramLabel = "NAME", split = ",", parameterConsumer = TunnelRemotes.Consumer.class,
            description = "In place of -f: visitors of http(s)://NAME on the server's web ports come through this "
                    + "tunnel. A NAME without a dot is a label under the server's first --domain.")
    List<String> hostnames;

    @Option(names = "--allow-from", paramLabel = "CIDR", split = ",", parameterConsumer = TunnelRemotes.Consumer.class,
            description = "Admit only visitors from these networks (IPv4 or IPv6; repeat, or list with commas) to "
                    + "the tunnel this follows; before the first tunnel, to every tunnel.")
    List<String> allowFrom;

    // showDefaultValue NEVER: --help must not print a password from RTUNNEL_BASIC_AUTH as the default.
    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD", parameterConsumer = TunnelRemotes.Consumer.class,
            showDefaultValue = Help.Visibility.NEVER,
            description = "Visitors of the --hostname tunnel this follows (before the first tunnel: of every name) "
                    + "must give this user and password, over HTTP. Keep it off the command line with "
                    + "RTUNNEL_BASIC_AUTH or an @FILE argument.")
    List<String> basicAuth;

    @Option(names = "--forwarded-headers",
            description = "On HTTP names, add X-Forwarded-For and Forwarded headers naming the visitor to its first "
                    + "request, in place of any it sent.")
    boolean forwardedHeaders;

    /** {@code tunnels} with the rules the options give each; a bad value is a usage error naming its option. */
    List<TunnelSpec> withRules(List<TunnelSpec> tunnels, TunnelRemotes inOrder, CommandSpec spec) {
        int count = tunnels.size();
        List<List<String>> blocks = new ArrayList<>();
        String[] credentials = new String[count];
        for (int i = 0; i < count; i++) {
            blocks.add(new ArrayList<>());
        }
        for (TunnelRemotes.Rule rule : given(inOrder, "--allow-from", allowFrom, spec)) {
            String block = block(rule.text(), spec);
            forEach(rule, count, i -> blocks.get(i).add(block));
        }
        for (TunnelRemotes.Rule rule : given(inOrder, "--basic-auth", basicAuth, spec)) {
            if (rule.text().indexOf(':') <= 0 || rule.text().endsWith(":")) {
                // The value is not shown: it may be a password.
                throw ClientArguments.invalid(spec, "--basic-auth", "give USER:PASSWORD, both not empty");
            }
            if (rule.tunnels() > 0 && !tunnels.get(rule.tunnels() - 1).isNamed()) {
                throw ClientArguments.invalid(spec, "--basic-auth", "it applies to --hostname tunnels only, not to -f "
                        + tunnels.get(rule.tunnels() - 1).remote());
            }
            forEach(rule, count, i -> credentials[i] = tunnels.get(i).isNamed() ? rule.text() : null);
        }
        if (forwardedHeaders && tunnels.stream().noneMatch(TunnelSpec::isNamed)) {
            throw new ParameterException(spec.commandLine(), "--forwarded-headers applies to --hostname tunnels only");
        }
        List<TunnelSpec> ruled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (blocks.get(i).size() > AllowList.MAX_BLOCKS) {
                throw ClientArguments.invalid(spec, "--allow-from", blocks.get(i).size() + " blocks for tunnel "
                        + (i + 1) + ", more than " + AllowList.MAX_BLOCKS);
            }
            String[] userPassword = credentials[i] == null ? new String[] {"", ""} : credentials[i].split(":", 2);
            TunnelSpec tunnel = tunnels.get(i);
            ruled.add(tunnel.withRules(new VisitorRules(0, blocks.get(i), userPassword[0], userPassword[1],
                    forwardedHeaders && tunnel.isNamed())));
        }
        return ruled;
    }

    /** The command line's values of {@code option}, or else its environment values, which apply to every tunnel. */
    private static List<TunnelRemotes.Rule> given(TunnelRemotes inOrder, String option, List<String> fromField,
            CommandSpec spec) {
        List<TunnelRemotes.Rule> rules = inOrder.rules(option);
        ParseResult parsed = spec.commandLine().getParseResult();
        // Options read by a parameter consumer do not count as matched: look for them among the arguments.
        if (parsed != null && parsed.expandedArgs().stream().anyMatch(arg -> arg.equals(option)
                || arg.startsWith(option + "="))) {
            return rules;
        }
        // From the environment: picocli hands such defaults to the consumer too, after the command line's
        // tunnels, so where they were recorded says nothing.
        List<String> texts = !rules.isEmpty() || fromField == null
                ? rules.stream().map(TunnelRemotes.Rule::text).toList() : fromField;
        return texts.stream().map(text -> new TunnelRemotes.Rule(option, text, 0)).toList();
    }

    private static void forEach(TunnelRemotes.Rule rule, int count, java.util.function.IntConsumer action) {
        if (rule.tunnels() > 0) {
            action.accept(rule.tunnels() - 1);
            return;
        }
        for (int i = 0; i < count; i++) {
            action.accept(i);
        }
    }

    private static String block(String text, CommandSpec spec) {
        try {
            return AddressBlock.parse(text.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw ClientArguments.invalid(spec, "--allow-from", e.getMessage());
        }
    }
}
