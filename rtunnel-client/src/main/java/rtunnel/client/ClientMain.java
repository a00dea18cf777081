package rtunnel.client;

import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.Failure;
import rtunnel.cli.LogLevel;
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

    /** Runs the program on the process's stdout and stderr and returns its exit status (see {@link ExitCodes}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the program, printing to {@code out} and {@code err}, and returns its exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(new ClientCommand(), out, err).execute(args);
    }

    /** The command line for {@code command}: its converters, its error handlers and its version. */
    static CommandLine commandLine(ClientCommand command, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .registerConverter(LogLevel.class, ClientMain::logLevel)
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
                    LoggerFactory.getLogger(ClientMain.class).debug("{} failed", NAME, e);
                    return failure.exitCode();
                });
        commandLine.getCommandSpec().version(ProgramVersion.line(NAME, ClientMain.class));
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
