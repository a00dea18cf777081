package rtunnel.client;

import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.Failure;
import rtunnel.cli.LogLevel;
import rtunnel.cli.OptionEnvironment;
import rtunnel.cli.ProgramVersion;

/** The {@code rtunnel_client} program: parses the command line, runs the client, returns an exit status. */
public final class ClientMain {

    /** The program's name, as users type it and as it starts every line it prints. */
    static final String NAME = "rtunnel_client";

    private ClientMain() {
    }

    public static void main(String... args) {
        System.exit(run(args));
    }

    /**
     * Runs the program on the process's stdout and stderr, options defaulting to the RTUNNEL_ environment
     * variables, and returns its exit status (see {@link ExitCodes}).
     */
    public static int run(String... args) {
        return commandLine(System.getenv()).execute(args);
    }

    /**
     * The program's command line on the process's stdout and stderr, options defaulting to
     * {@code environment}: what {@link #run} executes, and what the completion script and man page describe.
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        return commandLine(new ClientCommand(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                new OptionEnvironment(environment));
    }

    /** Runs the program without environment variables, printing to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, OptionEnvironment.none(), args);
    }

    /** Runs the program, printing to {@code out} and {@code err}, and returns its exit status. */
    static int run(PrintWriter out, PrintWriter err, OptionEnvironment environment, String... args) {
        return commandLine(new ClientCommand(), out, err, environment).execute(args);
    }

    /** The command line for {@code command} without environment variables. */
    static CommandLine commandLine(ClientCommand command, PrintWriter out, PrintWriter err) {
        return commandLine(command, out, err, OptionEnvironment.none());
    }

    /** The command line for {@code command}: its converters, defaults, error handlers and version. */
    static CommandLine commandLine(ClientCommand command, PrintWriter out, PrintWriter err,
            OptionEnvironment environment) {
        CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .registerConverter(LogLevel.class, ClientMain::logLevel)
                // Help and version are never defaults, and an interactive (secret) option is never read from
                // the environment, so --help cannot show a secret as its default.
                .setDefaultValueProvider(arg -> arg instanceof OptionSpec option && !option.usageHelp()
                        && !option.versionHelp() && !option.interactive()
                        ? environment.defaultFor(option.longestName()) : null)
                .setParameterExceptionHandler((e, ignored) -> {
                    e.getCommandLine().getErr().println(NAME + ": " + e.getMessage() + source(e, environment));
                    e.getCommandLine().getErr().println("Try '" + NAME + " --help' for more information.");
                    e.getCommandLine().getErr().flush();
                    return ExitCodes.USAGE;
                })
                .setExecutionExceptionHandler((e, failed, ignored) -> {
                    Failure failure = Failure.of(e);
                    failed.getErr().println(NAME + ": " + failure.message());
                    failed.getErr().flush();
                    LoggerFactory.getLogger(ClientMain.class).debug("{} failed", NAME, e);
                    return failure.exitCode();
                });
        commandLine.getCommandSpec().version(ProgramVersion.line(NAME, ClientMain.class));
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
