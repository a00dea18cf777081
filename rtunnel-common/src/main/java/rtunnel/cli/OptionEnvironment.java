package rtunnel.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Option values from environment variables, by one rule: {@code RTUNNEL_} and the long option name in
 * capitals, dashes as underscores ({@code --control-address} → {@code RTUNNEL_CONTROL_ADDRESS}). A value
 * there is the option's default, so the command line wins; a repeatable option takes a comma-separated
 * list, a switch {@code true} or {@code false}. An empty variable counts as unset.
 */
public final class OptionEnvironment {

    /** What every variable of the rule starts with. */
    public static final String PREFIX = "RTUNNEL_";

    /**
     * Variables with the prefix that are not options: the key's passphrase (a secret, never a flag) and
     * the launcher's own settings. No option may be named so that the rule reaches them.
     */
    public static final Set<String> RESERVED = Set.of("RTUNNEL_KEY_PASSPHRASE", "RTUNNEL_JAVA_OPTS",
            "RTUNNEL_CLASSPATH", "RTUNNEL_CACHE_DIR");

    /** The rule as both programs' --help and man pages state it. */
    public static final String RULE = "Every option can also be set as " + PREFIX + " and its long name in "
            + "capitals, dashes as underscores: RTUNNEL_LOG_LEVEL=info for --log-level info; true or false for a "
            + "switch; commas between repeated values. The command line wins. An argument @FILE reads more "
            + "arguments from FILE. See docs/scripting.md.";

    private final Map<String, String> variables;

    /** Reads options from {@code variables}, usually {@code System.getenv()}. */
    public OptionEnvironment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** No variables: what the tests and the generated documentation see. */
    public static OptionEnvironment none() {
        return new OptionEnvironment(Map.of());
    }

    /** {@code --log-level} → {@code RTUNNEL_LOG_LEVEL}; the name must be a long option. */
    public static String variableFor(String longOption) {
        if (!longOption.startsWith("--") || longOption.length() < 3) {
            throw new IllegalArgumentException("'" + longOption + "' is not a long option");
        }
        return PREFIX + longOption.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The value set for {@code longOption}, or null when its variable is unset or empty. */
    public String valueFor(String longOption) {
        String variable = variableFor(longOption);
        if (RESERVED.contains(variable)) {
            return null;
        }
        String value = variables.get(variable);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * {@link #valueFor} as a picocli default: picocli expands {@code ${...}} in defaults, and {@code $$}
     * keeps a value from the environment literal.
     */
    public String defaultFor(String longOption) {
        String value = valueFor(longOption);
        return value == null ? null : value.replace("${", "$${");
    }
}
