package rtunnel.cli;

import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

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
                    e.getCommandLine().getErr().println(name + ": " + e.getMessage() + source(e, environment));
                    e.getCommandLine().getErr().println("Try '" + name + " --help' for more information.");
                    e.getCommandLine().getErr().flush();
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
