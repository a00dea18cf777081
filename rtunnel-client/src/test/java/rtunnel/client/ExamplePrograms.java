package rtunnel.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import rtunnel.server.ServerExamples;

/** rtunnel_server and rtunnel_client as the documentation's command lines call them, parsed in this JVM. */
final class ExamplePrograms {

    static final String SERVER = "rtunnel_server";
    static final String CLIENT = "rtunnel_client";

    private ExamplePrograms() {
    }

    /**
     * The rtunnel program {@code words} run and where its arguments start: {@code rtunnel_client ...},
     * {@code bin/rtunnel_server ...}, {@code /opt/rtunnel/bin/rtunnel_client ...} or
     * {@code java -jar lib/rtunnel_server.jar ...}.
     */
    static Optional<Invocation> invocation(List<String> words) {
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String first = Path.of(words.get(0)).getFileName().toString();
        if (first.equals(SERVER) || first.equals(CLIENT)) {
            return Optional.of(new Invocation(first, words.subList(1, words.size())));
        }
        if (first.equals("java") && words.size() > 2 && words.get(1).equals("-jar")) {
            String jar = Path.of(words.get(2)).getFileName().toString();
            if (jar.equals(SERVER + ".jar") || jar.equals(CLIENT + ".jar")) {
                return Optional.of(new Invocation(jar.replace(".jar", ""), words.subList(3, words.size())));
            }
        }
        return Optional.empty();
    }

    /** A program and its arguments. */
    record Invocation(String program, List<String> args) {
    }

    /** The program's command line, printing to {@code out} and {@code err}. */
    static CommandLine commandLine(String program, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        return switch (program) {
            case SERVER -> ServerExamples.commandLine(out, err, environment);
            case CLIENT -> ClientMain.commandLine(new ClientCommand(), out, err,
                    new rtunnel.cli.OptionEnvironment(environment));
            default -> throw new IllegalArgumentException("not an rtunnel program: " + program);
        };
    }

    /**
     * What the program prints on stderr when it refuses {@code args} before starting anything (the usage error
     * and its hint), or "" when it would start: the parse and the settings check both programs run first.
     */
    static String usageError(String program, Map<String, String> environment, List<String> args) {
        StringWriter err = new StringWriter();
        CommandLine line = commandLine(program, new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                environment);
        String[] array = args.toArray(String[]::new);
        try {
            line.parseArgs(array);
            if (!line.isUsageHelpRequested() && !line.isVersionHelpRequested()) {
                if (program.equals(SERVER)) {
                    ServerExamples.validate(line);
                } else {
                    ((ClientCommand) line.getCommand()).settings();
                }
            }
            return "";
        } catch (ParameterException e) {
            try {
                line.getParameterExceptionHandler().handleParseException(e, array);
            } catch (Exception handler) {
                throw new AssertionError(handler);
            }
            return err.toString();
        }
    }
}
