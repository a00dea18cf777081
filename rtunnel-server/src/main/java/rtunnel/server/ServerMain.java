package rtunnel.server;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.OptionEnvironment;
import rtunnel.cli.ProgramCommandLine;

/** The {@code rtunnel_server} program: parses the command line, runs the server, returns an exit status. */
public final class ServerMain {

    /** The program's name, as users type it and as it starts every line it prints. */
    static final String NAME = "rtunnel_server";

    private ServerMain() {
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
        return commandLine(new ServerCommand(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                new OptionEnvironment(environment));
    }

    /** Runs the program without environment variables, printing to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, OptionEnvironment.none(), args);
    }

    /** Runs the program, printing to {@code out} and {@code err}, and returns its exit status. */
    static int run(PrintWriter out, PrintWriter err, OptionEnvironment environment, String... args) {
        return commandLine(new ServerCommand(), out, err, environment).execute(args);
    }

    /** The command line for {@code command} without environment variables. */
    static CommandLine commandLine(ServerCommand command, PrintWriter out, PrintWriter err) {
        return commandLine(command, out, err, OptionEnvironment.none());
    }

    /** The command line for {@code command}: its converters, defaults, error handlers and version. */
    static CommandLine commandLine(ServerCommand command, PrintWriter out, PrintWriter err,
            OptionEnvironment environment) {
        return ProgramCommandLine.of(NAME, command, ServerMain.class, out, err, environment);
    }
}
