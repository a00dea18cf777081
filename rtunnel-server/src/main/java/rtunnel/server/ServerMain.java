package rtunnel.server;

import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.Failure;
import rtunnel.cli.LogLevel;
import rtunnel.cli.ProgramVersion;

/** The {@code rtunnel_server} program: parses the command line, runs the server, returns an exit status. */
public final class ServerMain {

    /** The program's name, as users type it and as it starts every line it prints. */
    static final String NAME = "rtunnel_server";

    private ServerMain() {
    }

    public static void main(String... args) {
        System.exit(run(args));
    }

    /** Runs the program on the process's stdout and stderr and returns its exit status (see {@link ExitCodes}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the program, printing to {@code out} and {@code err}, and returns its exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(new ServerCommand(), out, err).execute(args);
    }

    /** The command line for {@code command}: its converters, its error handlers and its version. */
    static CommandLine commandLine(ServerCommand command, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .registerConverter(LogLevel.class, ServerMain::logLevel)
                .setParameterExceptionHandler((e, ignored) -> {
                    e.getCommandLine().getErr().println(NAME + ": " + e.getMessage());
                    e.getCommandLine().getErr().println("Try '" + NAME + " --help' for more information.");
                    e.getCommandLine().getErr().flush();
                    return ExitCodes.USAGE;
                })
                .setExecutionExceptionHandler((e, failed, ignored) -> {
                    Failure failure = Failure.of(e);
                    failed.getErr().println(NAME + ": " + failure.message());
                    failed.getErr().flush();
                    LoggerFactory.getLogger(ServerMain.class).debug("{} failed", NAME, e);
                    return failure.exitCode();
                });
        commandLine.getCommandSpec().version(ProgramVersion.line(NAME, ServerMain.class));
        return commandLine;
    }

    private static LogLevel logLevel(String text) {
        try {
            return LogLevel.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
