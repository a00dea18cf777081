package rtunnel.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import rtunnel.cli.OptionEnvironment;

/**
 * A man page in roff with the man macros ({@code man -l FILE} shows it), written from a picocli command's
 * annotations: synopsis, description, options with their defaults and variables, exit codes, and the help
 * footer as the ENVIRONMENT section. It carries no date and no version, so it only changes with the
 * annotations.
 */
final class ManPage {

    /** Wider than any synopsis here (about 400 characters); picocli allocates its text table by this width. */
    private static final int SYNOPSIS_WIDTH = 4000;

    private final List<String> lines = new ArrayList<>();

    private ManPage() {
    }

    /**
     * The page for {@code commandLine}: {@code summary} is the short line under NAME, and SEE ALSO names
     * {@code seeAlso} (pages, then files).
     */
    static String of(CommandLine commandLine, String summary, String... seeAlso) {
        return new ManPage().write(commandLine.getCommandSpec(), summary, seeAlso);
    }

    private String write(CommandSpec spec, String summary, String[] seeAlso) {
        String name = spec.name();
        lines.add(".\\\" Generated from the picocli annotations by rtunnel.client.GeneratedDocs; do not edit.");
        lines.add(".TH " + name.toUpperCase(Locale.ROOT) + " 1 \"\" \"rtunnel\" \"User Commands\"");
        // Ragged right, no hyphenation: option names and addresses stay whole.
        lines.add(".nh");
        lines.add(".ad l");
        section("NAME");
        lines.add(text(name) + " \\- " + text(summary));
        section("SYNOPSIS");
        String synopsis = synopsis(spec);
        lines.add(".B " + text(name));
        lines.add(text(synopsis.substring(name.length()).strip()));
        section("DESCRIPTION");
        lines.add(text(String.join(" ", spec.usageMessage().description())));
        section("OPTIONS");
        spec.options().stream().filter(option -> !option.hidden()).forEach(this::option);
        section("EXIT STATUS");
        for (Map.Entry<String, String> code : spec.usageMessage().exitCodeList().entrySet()) {
            lines.add(".TP");
            lines.add("\\fB" + text(code.getKey().strip()) + "\\fR");
            lines.add(text(code.getValue()));
        }
        section("ENVIRONMENT");
        for (String paragraph : spec.usageMessage().footer()) {
            lines.add(".PP");
            lines.add(text(String.format(Locale.ROOT, paragraph).strip()));
        }
        spec.options().stream().filter(ManPage::fromEnvironment).forEach(option -> {
            lines.add(".TP");
            lines.add("\\fB" + OptionEnvironment.variableFor(option.longestName()) + "\\fR");
            lines.add("Same as \\fB" + text(option.longestName()) + "\\fR.");
        });
        section("SEE ALSO");
        lines.add(text(String.join(", ", seeAlso)));
        return String.join("\n", lines) + "\n";
    }

    private void option(OptionSpec option) {
        lines.add(".TP");
        List<String> names = new ArrayList<>();
        for (String optionName : option.names()) {
            names.add("\\fB" + text(optionName) + "\\fR");
        }
        String label = option.arity().max() > 0 ? "=\\fI" + text(option.paramLabel()) + "\\fR" : "";
        lines.add(String.join(", ", names) + label);
        lines.add(text(String.join(" ", option.description())));
        if (option.defaultValue() != null && option.arity().max() > 0) {
            lines.add(".br");
            lines.add("Default: " + text(option.defaultValue()) + ".");
        }
        if (fromEnvironment(option)) {
            lines.add(".br");
            lines.add("Environment: \\fB" + OptionEnvironment.variableFor(option.longestName()) + "\\fR.");
        }
    }

    /** Whether the option can be set by its variable (the same test as the programs' default provider). */
    private static boolean fromEnvironment(OptionSpec option) {
        return !option.hidden() && !option.usageHelp() && !option.versionHelp() && !option.interactive();
    }

    /** picocli's synopsis on one line (man wraps it), so that no label is broken in two. */
    private static String synopsis(CommandSpec spec) {
        int width = spec.usageMessage().width();
        try {
            spec.usageMessage().width(SYNOPSIS_WIDTH);
            return new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF)).synopsis(0).strip();
        } finally {
            spec.usageMessage().width(width);
        }
    }

    private void section(String title) {
        lines.add(".SH " + title);
    }

    /**
     * {@code plain} as roff text: backslashes escaped, every hyphen a minus (so that a copied option or
     * command name still works), and a leading dot or quote kept from being read as a request.
     */
    static String text(String plain) {
        String escaped = plain.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
