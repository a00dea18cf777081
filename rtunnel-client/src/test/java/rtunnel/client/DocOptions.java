package rtunnel.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import rtunnel.cli.OptionEnvironment;

/** The options of the two programs as their picocli specs declare them, for checking what the documents say. */
final class DocOptions {

    private DocOptions() {
    }

    static CommandSpec spec(String program) {
        return ExamplePrograms.commandLine(program, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Map.of()).getCommandSpec();
    }

    /** Every option name of {@code program}, short and long ({@code -c}, {@code --control}). */
    static Set<String> names(String program) {
        Set<String> names = new TreeSet<>();
        spec(program).options().forEach(option -> names.addAll(List.of(option.names())));
        return names;
    }

    /** The options of {@code program} that have a variable: all but --help and --version. */
    static List<OptionSpec> settable(String program) {
        return spec(program).options().stream().filter(option -> !option.usageHelp() && !option.versionHelp())
                .toList();
    }

    /** The RTUNNEL_ variable of every option of {@code program} ("" for a variable of either program). */
    static Set<String> variables(String program) {
        Set<String> variables = new TreeSet<>();
        for (String each : program.isEmpty() ? List.of(ExamplePrograms.SERVER, ExamplePrograms.CLIENT)
                : List.of(program)) {
            settable(each).forEach(option -> variables.add(OptionEnvironment.variableFor(option.longestName())));
        }
        return variables;
    }
}
