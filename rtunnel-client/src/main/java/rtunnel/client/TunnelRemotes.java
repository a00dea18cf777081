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
 * n-th of either pairs with the n-th {@code -t} (picocli keeps each option's values apart, losing that order).
 */
final class TunnelRemotes {

    /** One {@code -f} value, or one {@code --hostname} value when {@code named}. */
    record Remote(String text, boolean named) {
    }

    private final List<Remote> given = new ArrayList<>();

    /** The values given on the command line, in order. */
    List<Remote> given() {
        return List.copyOf(given);
    }

    /** Whether the command line gave {@code -f} ({@code named} false) or {@code --hostname} values. */
    boolean gave(boolean named) {
        return given.stream().anyMatch(remote -> remote.named() == named);
    }

    /**
     * Picocli's hook for {@code -f} and {@code --hostname}: records each value, split at commas, in the
     * {@link TunnelRemotes} of the command being parsed.
     */
    static final class Consumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            boolean named = ((OptionSpec) argSpec).longestName().equals("--hostname");
            TunnelRemotes remotes = ((ClientCommand) commandSpec.userObject()).remotesInOrder;
            for (String text : args.pop().split(",", -1)) {
                remotes.given.add(new Remote(text, named));
            }
        }
    }
}
