package rtunnel.server;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import rtunnel.cli.OptionEnvironment;

/**
 * The server's command line for the documentation examples that rtunnel-client's tests run beside a client.
 * It lives in the server's package (on the test class path) because a test needs what the program keeps
 * to itself: its own output writers, and the settings check that runs before anything starts.
 */
public final class ServerExamples {

    private ServerExamples() {
    }

    /** {@code rtunnel_server}'s command line, printing to {@code out} and {@code err}, options defaulting to {@code environment}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> environment) {
        return ServerMain.commandLine(new ServerCommand(), out, err, new OptionEnvironment(environment));
    }

    /** Checks the values of a parsed command line as the program does before it binds anything. */
    public static void validate(CommandLine parsed) {
        ((ServerCommand) parsed.getCommand()).settings();
    }
}
