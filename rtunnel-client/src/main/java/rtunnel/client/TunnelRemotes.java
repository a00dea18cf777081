package rtunnel.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code -f} ports and {@code --hostname} names in the order the command line gives them, so that the
 * n-th of either pairs with the n-th {@code -t}, and the per-tunnel options ({@code --allow-from},
 * {@code --basic-auth}) with the tunnel they follow (picocli keeps each option's values apart, losing that order).
 */
final class TunnelRemotes {

    /** One {@code -f} value, or one {@code --hostname} value when {@code named}. */
    record Remote(String text, boolean named) {
    }

    /** One value of a per-tunnel {@code option}, after {@code tunnels} -f or --hostname (0: before the first). */
    record Rule(String option, String text, int tunnels) {
    }

    private final List<Remote> given = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();

    /** The values given on the command line, in order. */
    List<Remote> given() {
        return List.copyOf(given);
    }

    /** Whether the command line gave {@code -f} ({@code named} false) or {@code --hostname} values. */
    boolean gave(boolean named) {
        return given.stream().anyMatch(remote -> remote.named() == named);
    }

    /** The command line's values of {@code option}, in order. */
    List<Rule> rules(String option) {
        return rules.stream().filter(rule -> rule.option().equals(option)).toList();
    }

    /**
     * Picocli's hook for {@code -f}, {@code --hostname}, {@code --allow-from} and {@code --basic-auth}: records
     * each value in the {@link TunnelRemotes} of the command being parsed. All but {@code --basic-auth}, whose
     * password may hold one, are split at commas.
     */
    static final class Consumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String option = ((OptionSpec) argSpec).longestName();
            TunnelRemotes remotes = ((ClientCommand) commandSpec.root().userObject()).remotesInOrder;
            String value = args.pop();
            if (option.equals("--basic-auth")) {
                remotes.rules.add(new Rule(option, value, remotes.given.size()));
                return;
            }
            for (String text : value.split(",", -1)) {
                switch (option) {
                    case "--allow-from" -> remotes.rules.add(new Rule(option, text, remotes.given.size()));
                    case "--hostname" -> remotes.given.add(new Remote(text, true));
                    default -> remotes.given.add(new Remote(text, false));
                }
            }
        }
    }
}
