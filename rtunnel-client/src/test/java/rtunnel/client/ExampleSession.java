package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rtunnel.cli.ConsoleStep;
import rtunnel.cli.OptionEnvironment;

/**
 * Runs the rtunnel command lines of a document's examples in its {@link ExampleStage}. Every command line is
 * parsed and checked as the program would before it starts; one the document shows a usage error for must
 * print exactly that error. One the document shows other output for runs for real on loopback, made
 * runnable by these rewrites (and only these), and must print lines of the shapes shown (see
 * {@link OutputShape}), no more and no fewer:
 * <ul>
 * <li>a server gets {@code RTUNNEL_CONTROL=127.0.0.1:0} (or its {@code -c} value becomes {@code 127.0.0.1:0})
 * and {@code RTUNNEL_HOST_KEY=~/.rtunnel/host_ed25519_key} in the stage's home;</li>
 * <li>a client's {@code -c} becomes the running server's {@code 127.0.0.1:PORT}, every {@code -f [HOST:]PORT}
 * becomes {@code HOST:0} (127.0.0.1 for a bare port: the server picks a free port in its range), a
 * {@code -t} to this machine goes to the stage's web server, and it gets {@code RTUNNEL_NO_RECONNECT=true}
 * so that it ends with its server;</li>
 * <li>{@code ~/} is the stage's home, and a fingerprint the document showed for the server is the real one.</li>
 * </ul>
 */
final class ExampleSession {

    private static final Pattern TUNNEL_LINE = Pattern.compile("^rtunnel_client: \\S+:(\\d+) -> ");

    private final ExampleStage stage;
    private ExamplePrograms.Invocation lastServer;
    private Map<String, String> lastServerEnvironment = Map.of();

    ExampleSession(ExampleStage stage) {
        this.stage = stage;
    }

    /** Parses, and where the document shows output, runs {@code step}: an rtunnel command line. */
    void run(ConsoleStep step, ExamplePrograms.Invocation invocation, String where) throws Exception {
        List<String> args = new ArrayList<>(invocation.args());
        if (!args.isEmpty() && args.get(args.size() - 1).equals("...")) {
            // "..." in an example stands for the rest of a command line shown elsewhere.
            args.remove(args.size() - 1);
        }
        args.replaceAll(stage::expandHome);
        args.replaceAll(arg -> arg.startsWith("@") ? "@" + stage.expandHome("~/" + arg.substring(1)) : arg);
        checkVariables(step.environment(), invocation.program(), where);
        String error = ExamplePrograms.usageError(invocation.program(), step.environment(), args);
        boolean showsUsageError = step.output().stream().anyMatch(line -> line.startsWith("Try '"));
        if (showsUsageError) {
            assertEquals(String.join("\n", step.output()) + "\n", error, where + ": the usage error shown for: "
                    + step.command());
            return;
        }
        assertEquals("", error, where + ": " + step.command());
        ExamplePrograms.Invocation parsed = new ExamplePrograms.Invocation(invocation.program(), args);
        if (invocation.program().equals(ExamplePrograms.SERVER)) {
            lastServer = parsed;
            lastServerEnvironment = step.environment();
            if (!step.output().isEmpty()) {
                compare(where, step, startServer(), List.of());
            }
        } else if (!step.output().isEmpty()) {
            runClient(where, step, parsed);
        }
    }

    /** Every RTUNNEL_ variable an example sets is an option's (by the rule) or one the programs read besides. */
    static void checkVariables(Map<String, String> environment, String program, String where) {
        for (String variable : environment.keySet()) {
            if (variable.startsWith(OptionEnvironment.PREFIX)) {
                assertTrue(OptionEnvironment.RESERVED.contains(variable)
                        || DocOptions.variables(program).contains(variable),
                        where + ": " + variable + " is no variable of " + program);
            }
        }
    }

    private RunningExample startServer() throws Exception {
        ExamplePrograms.Invocation server = lastServer != null ? lastServer
                : new ExamplePrograms.Invocation(ExamplePrograms.SERVER, List.of());
        if (server.args().stream().anyMatch(arg -> arg.contains(".rtunnel/authorized_keys"))) {
            stage.ensureLaptopKey();
        }
        List<String> args = new ArrayList<>(server.args());
        int control = Math.max(args.indexOf("-c"), args.indexOf("--control"));
        if (control >= 0) {
            args.set(control + 1, "127.0.0.1:0");
        }
        Map<String, String> environment = ExampleStage.with(lastServerEnvironment, "RTUNNEL_CONTROL", "127.0.0.1:0");
        environment = ExampleStage.with(environment, "RTUNNEL_HOST_KEY",
                stage.home.resolve(".rtunnel/host_ed25519_key").toString());
        RunningExample running = stage.startServer(environment, args);
        List<String> lines = running.awaitOutput("the server's address", output -> output.stream()
                .anyMatch(line -> line.contains("listening")));
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(String.join("\n", lines));
        assertTrue(port.find(), "the server did not start: " + lines);
        stage.serverListensOn(Integer.parseInt(port.group(1)));
        return running;
    }

    private void runClient(String where, ConsoleStep step, ExamplePrograms.Invocation client) throws Exception {
        if (!stage.hasServer()) {
            startServer();
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < client.args().size(); i++) {
            String arg = client.args().get(i);
            String option = i > 0 ? client.args().get(i - 1) : "";
            if (arg.contains(".ssh/rtunnel_laptop")) {
                stage.ensureLaptopKey();
            }
            args.add(switch (option) {
                case "-c", "--control-address" -> "127.0.0.1:" + stage.serverPort();
                case "-f", "--remote-listen-port" -> arg.contains(":")
                        ? arg.substring(0, arg.lastIndexOf(':')) + ":0" : "127.0.0.1:0";
                case "-t", "--tunnel-to" -> arg.contains(":") && !arg.startsWith("localhost:") ? arg
                        : "localhost:" + stage.web.getAddress().getPort();
                default -> stage.standIns.getOrDefault(arg, arg);
            });
        }
        Map<String, String> environment = ExampleStage.with(step.environment(), "RTUNNEL_NO_RECONNECT", "true");
        Optional<String> agent = stage.exported("SSH_AUTH_SOCK");
        if (agent.isPresent() && !args.contains("-k") && !args.contains("--private-key")) {
            // Only a process environment can give the client an ssh-agent: it runs through its launcher.
            compare(where, step, stage.launch(ExamplePrograms.CLIENT,
                    ExampleStage.with(environment, "SSH_AUTH_SOCK", agent.get()), args), args);
        } else {
            compare(where, step, stage.start(ExamplePrograms.CLIENT, environment, args), args);
        }
    }

    /**
     * Waits until {@code running} printed as many lines as the step shows (or ended), then checks that the
     * shapes are the same, and learns what the document's fingerprints and public ports stand for.
     */
    private void compare(String where, ConsoleStep step, RunningExample running, List<String> args) {
        List<String> shown = step.output().stream().filter(line -> !DocAllowList.isTerminalOnly(line)).toList();
        List<String> printed = running.awaitOutput("the " + shown.size() + " lines " + where + " shows",
                output -> output.stream().map(OutputShape::of).toList().containsAll(
                        shown.stream().map(OutputShape::of).toList()));
        List<String> missing = new ArrayList<>(shown.stream().map(OutputShape::of).toList());
        List<String> extra = new ArrayList<>();
        for (String line : printed) {
            if (!missing.remove(OutputShape.of(line))) {
                extra.add(line);
            }
        }
        assertTrue(missing.isEmpty() && extra.isEmpty(), where + ": " + step.command() + "\n  ran as: " + args
                + "\n  shown but not printed (shapes): " + missing + "\n  printed but not shown: " + extra
                + "\n  all it printed: " + printed);
        StreamNotes.check(where, shown, shape -> streams(running, shape));
        learnStandIns(shown, printed);
    }

    /** The streams {@code running} printed lines of {@code shape} on. */
    private static Set<String> streams(RunningExample running, String shape) {
        Set<String> streams = new TreeSet<>();
        if (running.stdout().stream().map(OutputShape::of).anyMatch(shape::equals)) {
            streams.add("stdout");
        }
        if (running.stderr().stream().map(OutputShape::of).anyMatch(shape::equals)) {
            streams.add("stderr");
        }
        return streams;
    }

    /** Maps the document's fingerprints and public ports to the ones of the run, line by matching line. */
    private void learnStandIns(List<String> shown, List<String> printed) {
        Map<String, String> byShape = new HashMap<>();
        printed.forEach(line -> byShape.put(OutputShape.of(line), line));
        for (String line : shown) {
            String real = byShape.get(OutputShape.of(line));
            Matcher docKey = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}").matcher(line);
            Matcher realKey = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}").matcher(real);
            if (docKey.find() && realKey.find()) {
                stage.standIns.put(docKey.group(), realKey.group());
            }
            Matcher docPort = TUNNEL_LINE.matcher(line);
            Matcher realPort = TUNNEL_LINE.matcher(real);
            if (docPort.find() && realPort.find()) {
                stage.standIns.put(docPort.group(1), realPort.group(1));
            }
        }
    }
}
