package rtunnel.cli;

import java.io.PrintWriter;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The picocli set-up both programs share: the log-level converter, defaults from the {@code RTUNNEL_}
 * environment variables, one-line usage and runtime errors with their exit codes, and the version line.
 */
public final class ProgramCommandLine {

    private ProgramCommandLine() {
    }

    /**
     * The command line of program {@code name} (as users type it) for {@code command}, printing to
     * {@code out} and {@code err}; {@code mainClass} locates the jar whose version {@code --version} prints.
     */
    public static CommandLine of(String name, Object command, Class<?> mainClass, PrintWriter out, PrintWriter err,
            OptionEnvironment environment) {
        CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .registerConverter(LogLevel.class, ProgramCommandLine::logLevel)
                // Help and version are never defaults, and an interactive (secret) option is never read from
                // the environment, so --help cannot show a secret as its default.
                .setDefaultValueProvider(arg -> arg instanceof OptionSpec option && !option.usageHelp()
                        && !option.versionHelp() && !option.interactive()
                        ? environment.defaultFor(option.longestName()) : null)
                .setParameterExceptionHandler((e, ignored) -> {
                    PrintWriter errors = e.getCommandLine().getErr();
                    ParameterException first = unknownFirst(e);
                    errors.println(name + ": " + first.getMessage() + source(first, environment));
                    if (first instanceof UnmatchedArgumentException unknown && !unknown.getSuggestions().isEmpty()) {
                        errors.println(name + ": did you mean " + quoted(unknown.getSuggestions()) + "?");
                    }
                    errors.println("Try '" + name + " --help' for more information.");
                    errors.flush();
                    return ExitCodes.USAGE;
                })
                .setExecutionExceptionHandler((e, failed, ignored) -> {
                    Failure failure = Failure.of(e);
                    failed.getErr().println(name + ": " + failure.message());
                    failed.getErr().flush();
                    LoggerFactory.getLogger(mainClass).debug("{} failed", name, e);
                    return failure.exitCode();
                });
        commandLine.getCommandSpec().version(ProgramVersion.line(name, mainClass));
        return commandLine;
    }

    /**
     * The error to report: an unknown word before anything else. picocli checks required options first, so a
     * misspelt {@code --tunel-to} would otherwise read "Missing required option: '--tunnel-to'", never
     * naming the word that was typed.
     */
    private static ParameterException unknownFirst(ParameterException e) {
        List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
        if (unmatched.isEmpty()) {
            return e;
        }
        // The first word that looks like an option, alone: its value ("3000" after "--tunel-to") is no news.
        String word = unmatched.stream().filter(each -> each.startsWith("-")).findFirst().orElse(unmatched.get(0));
        return new UnmatchedArgumentException(e.getCommandLine(), List.of(word));
    }

    /** 'a', 'b' or 'c'. */
    private static String quoted(List<String> words) {
        List<String> quoted = words.stream().limit(3).map(word -> "'" + word + "'").toList();
        return quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    /** " (from RTUNNEL_X)" when the bad value came from the environment rather than the command line. */
    private static String source(ParameterException e, OptionEnvironment environment) {
        ArgSpec arg = e.getArgSpec();
        if (arg instanceof OptionSpec option && option.originalStringValues().isEmpty()
                && environment.valueFor(option.longestName()) != null) {
            return " (from " + OptionEnvironment.variableFor(option.longestName()) + ")";
        }
        return "";
    }

    private static LogLevel logLevel(String text) {
        try {
            return LogLevel.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
