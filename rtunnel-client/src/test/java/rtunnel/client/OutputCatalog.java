package rtunnel.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rtunnel.testing.KeyFixtures;
import rtunnel.testing.RunningSshAgent;

/**
 * The shapes (see {@link OutputShape}) of the lines the two programs really print in the situations the
 * documents show output for without the command that made it: a server that starts or cannot, a client that
 * connects (meeting its server for the first time), is refused, finds a changed host key, cannot reach its
 * server or loses it. Each situation is set up for real on loopback.
 */
final class OutputCatalog {

    private static final String SERVER = ExamplePrograms.SERVER;
    private static final String CLIENT = ExamplePrograms.CLIENT;

    private final Set<String> shapes = new TreeSet<>();
    private final List<String> lines = new ArrayList<>();
    /** The streams each shape was printed on, where the catalogue knows. */
    private final Map<String, Set<String>> streams = new HashMap<>();

    /** Runs every situation and keeps what was printed. */
    static OutputCatalog record() throws Exception {
        OutputCatalog catalog = new OutputCatalog();
        try (ExampleStage stage = new ExampleStage()) {
            catalog.serverStarts(stage);
            catalog.serverCannotStart(stage);
            catalog.clientsAreRefused(stage);
            catalog.clientsOfferEveryKey(stage);
            catalog.clientsReconnect(stage);
            catalog.clientsFailOver(stage);
            catalog.clientsUseAllServers(stage);
            catalog.serverReportsItsClients(stage);
            catalog.clientsOwnNames(stage);
        }
        return catalog;
    }

    boolean has(String shownLine) {
        return shapes.contains(OutputShape.of(shownLine));
    }

    /** The streams lines of {@code shape} were printed on ({@code stdout}, {@code stderr}); empty when unknown. */
    Set<String> streams(String shape) {
        return streams.getOrDefault(shape, Set.of());
    }

    /** What was printed, for a failure message. */
    List<String> lines() {
        return lines;
    }

    private void serverStarts(ExampleStage stage) throws Exception {
        Map<String, String> hostKey = hostKey(stage);
        until(stage, SERVER, hostKey, List.of("-c", "127.0.0.1:0"), output -> output.size() >= 3);
        until(stage, SERVER, hostKey, List.of("--json", "-c", "127.0.0.1:0"), output -> output.size() >= 2);
    }

    private void serverCannotStart(ExampleStage stage) throws Exception {
        Map<String, String> hostKey = hostKey(stage);
        Path empty = Files.createFile(stage.home.resolve("empty_authorized_keys"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String takenAddress = "127.0.0.1:" + taken.getLocalPort();
            for (List<String> args : List.of(List.of("-c", takenAddress), List.of("-c", "203.0.113.5"),
                    List.of("-c", "nosuch.invalid"), List.of("-c", "127.0.0.1:0", "--metrics", takenAddress),
                    List.of("-a", stage.home.resolve("missing").toString()), List.of("-a", empty.toString()))) {
                exits(stage, SERVER, hostKey, args);
            }
        }
    }

    private void clientsAreRefused(ExampleStage stage) throws Exception {
        stage.ensureLaptopKey();
        KeyFixtures keys = new KeyFixtures();
        int port = server(stage, List.of("-a", stage.home.resolve(".rtunnel/authorized_keys").toString(),
                "-p", "2", "-P", "3", "--max-clients", "1"));
        String control = "127.0.0.1:" + port;
        List<String> tunnel = List.of("-c", control, "-f", "127.0.0.1:0", "-t", "3000");
        exits(stage, CLIENT, Map.of(), concat(tunnel, "-k", keys.file("ecdsa256").toString()));
        exits(stage, CLIENT, Map.of(), tunnel);
        exits(stage, CLIENT, Map.of(), concat(tunnel, "--server-fingerprint", "SHA256:" + "A".repeat(43)));
        // A known_hosts file that holds another key for this server: its key "changed".
        Path changed = Files.writeString(stage.home.resolve("changed_known_hosts"),
                "[127.0.0.1]:" + port + " " + keys.publicLine("ecdsa256") + "\n");
        exits(stage, CLIENT, Map.of("RTUNNEL_KNOWN_HOSTS", changed.toString()), tunnel);
        String laptop = stage.home.resolve(".ssh/rtunnel_laptop").toString();
        exits(stage, CLIENT, Map.of(), List.of("-c", control, "-f", "127.0.0.1:1", "-t", "3000", "-k", laptop));
        // The one place this server has is taken by this client: the next is turned away, and retries.
        RunningExample holder = stage.start(CLIENT, Map.of(), List.of("-c", control, "-f", "127.0.0.1:2", "-t",
                "3000", "-k", laptop));
        holder.awaitOutput("a tunnel", tunnels(1));
        keep(holder);
        exits(stage, CLIENT, Map.of("RTUNNEL_MAX_RETRIES", "1"), concat(tunnel, "-k", laptop));
    }

    /**
     * A server with --json and -a: a client whose ssh-agent holds a key the server does not admit gets in
     * with its -k key after it; a client asking for a port outside the range, and one without a key, are refused.
     */
    private void clientsOfferEveryKey(ExampleStage stage) throws Exception {
        stage.ensureLaptopKey();
        String laptop = stage.home.resolve(".ssh/rtunnel_laptop").toString();
        try (RunningSshAgent agent = RunningSshAgent.start(Files.createTempDirectory("rtunnel-agent"))) {
            agent.add(new KeyFixtures().file("ecdsa256"));
            RunningExample server = stage.startServer(hostKey(stage), List.of("--json", "-c", "127.0.0.1:0",
                    "-a", stage.home.resolve(".rtunnel/authorized_keys").toString(), "-p", "4000", "-P", "4999"));
            String control = "127.0.0.1:" + listeningPort(server);
            RunningExample client = stage.launch(CLIENT, Map.of("SSH_AUTH_SOCK", agent.socket().toString()),
                    List.of("-c", control, "-f", "127.0.0.1:0", "-t", "3000", "-k", laptop));
            client.awaitOutput("the key that got in", output -> output.stream()
                    .anyMatch(line -> line.contains(" accepted key ")));
            client.close();
            keep(client);
            exits(stage, CLIENT, Map.of(), List.of("-c", control, "-f", "5000", "-t", "3000", "-k", laptop));
            exits(stage, CLIENT, Map.of(), List.of("-c", control, "-f", "0", "-t", "3000"));
            server.awaitOutput("the refusals", output -> output.stream()
                    .filter(line -> line.contains("_refused\"")).count() >= 3);
            keep(server);
        }
    }

    private void clientsReconnect(ExampleStage stage) throws Exception {
        Map<String, String> oneRetry = Map.of("RTUNNEL_MAX_RETRIES", "1");
        exits(stage, CLIENT, oneRetry, List.of("-c", "127.0.0.1:1", "-f", "127.0.0.1:0", "-t", "3000"));
        for (List<String> json : List.of(List.<String>of(), List.of("--json"))) {
            int port = server(stage, List.of());
            RunningExample client = stage.start(CLIENT, oneRetry, concat(json, "-c", "127.0.0.1:" + port, "-f",
                    "127.0.0.1:0", "-t", "3000", "-f", "127.0.0.1:0", "-t", "3000"));
            client.awaitOutput("two tunnels", tunnels(2));
            stage.stopServer();
            client.awaitExit();
            keep(client);
        }
    }

    /** A client of two servers whose first stops: it moves on to the second at once. */
    private void clientsFailOver(ExampleStage stage) throws Exception {
        for (List<String> json : List.of(List.<String>of(), List.of("--json"))) {
            RunningExample first = stage.start(SERVER, hostKey(stage), List.of("-c", "127.0.0.1:0"));
            int firstPort = listeningPort(first);
            int secondPort = server(stage, List.of());
            RunningExample client = stage.start(CLIENT, Map.of("RTUNNEL_MAX_RETRIES", "2"), concat(json,
                    "-c", "127.0.0.1:" + firstPort, "-c", "127.0.0.1:" + secondPort, "-f", "127.0.0.1:0",
                    "-t", "3000"));
            client.awaitOutput("the tunnel on the first server", tunnels(1));
            first.close();
            client.awaitOutput("the tunnel on the second server", tunnels(2));
            stage.stopServer();
            client.awaitExit();
            keep(client);
        }
    }

    /** A client on two servers at once (--all-servers), one of which refuses it for good: the other keeps the tunnel. */
    private void clientsUseAllServers(ExampleStage stage) throws Exception {
        stage.ensureLaptopKey();
        RunningExample keyed = stage.start(SERVER, hostKey(stage), List.of("-c", "127.0.0.1:0", "-a",
                stage.home.resolve(".rtunnel/authorized_keys").toString()));
        int keyedPort = listeningPort(keyed);
        int openPort = server(stage, List.of());
        for (List<String> json : List.of(List.<String>of(), List.of("--json"))) {
            RunningExample client = stage.start(CLIENT, Map.of(), concat(json, "--all-servers",
                    "-c", "127.0.0.1:" + openPort, "-c", "127.0.0.1:" + keyedPort, "-f", "127.0.0.1:0", "-t", "3000"));
            List<String> output = client.awaitOutput("the tunnel on one server, the refusal of the other",
                    printed -> tunnels(1).test(printed) && printed.stream().anyMatch(
                            line -> line.contains("giving up on server") || line.contains("\"server_given_up\"")));
            client.close();
            keep(output);
        }
        keyed.close();
    }

    /**
     * A server with --json and a client that connects, then stops (as a process, so that SIGTERM makes it
     * say goodbye); then a second client whose server stops under it.
     */
    private void serverReportsItsClients(ExampleStage stage) throws Exception {
        RunningExample server = stage.startServer(hostKey(stage), List.of("--json", "-c", "127.0.0.1:0"));
        int port = listeningPort(server);
        List<String> tunnel = List.of("--json", "-c", "127.0.0.1:" + port, "-f", "127.0.0.1:0", "-t", "3000");
        RunningExample leaving = stage.launch(CLIENT, Map.of(), tunnel);
        server.awaitOutput("the client's tunnel", output -> output.stream().anyMatch(line -> line.contains(
                "\"tunnel_up\"")));
        leaving.close();
        server.awaitOutput("the client gone", output -> output.stream().anyMatch(line -> line.contains(
                "\"client_disconnected\"")));
        keep(leaving);
        RunningExample staying = stage.start(CLIENT, Map.of("RTUNNEL_MAX_RETRIES", "1"), tunnel);
        staying.awaitOutput("its tunnel", tunnels(1));
        stage.stopServer();
        staying.awaitExit();
        keep(staying);
        keep(server);
    }

    /** A server with web ports: clients own names (each style of up line), and one asks for a name outside. */
    private void clientsOwnNames(ExampleStage stage) throws Exception {
        RunningExample server = stage.startServer(hostKey(stage), List.of("-c", "127.0.0.1:0", "--http-port",
                "127.0.0.1:0", "--https-port", "127.0.0.1:0", "--domain", "myserver.com"));
        int port = listeningPort(server);
        String control = "127.0.0.1:" + port;
        for (List<String> json : List.of(List.<String>of(), List.of("--json"))) {
            RunningExample client = stage.start(CLIENT, Map.of(), concat(json, "-c", control, "--hostname",
                    json.isEmpty() ? "app" : "api", "-t", "3000"));
            client.awaitOutput("the name's tunnel", tunnels(1));
            keep(client.output());
            client.close();
        }
        exits(stage, CLIENT, Map.of(), List.of("-c", control, "--hostname", "app.example.org", "-t", "3000"));
        keep(server.output());
        stage.stopServer();
    }

    /** Whether a client printed at least {@code count} tunnel lines, in either of its styles. */
    private static Predicate<List<String>> tunnels(int count) {
        return output -> output.stream().filter(line -> line.contains(" -> ") || line.contains("\"tunnel_up\""))
                .count() >= count;
    }

    /** The control port a server started with -c 127.0.0.1:0 printed, in either of its styles. */
    private int listeningPort(RunningExample server) {
        Pattern listening = Pattern.compile(".*(?:listening for clients on |\"address\":\")127\\.0\\.0\\.1:(\\d+).*");
        List<String> output = server.awaitOutput("the listening line",
                printed -> printed.stream().anyMatch(line -> listening.matcher(line).matches()));
        keep(server);
        return output.stream().map(listening::matcher).filter(Matcher::matches).findFirst()
                .map(found -> Integer.parseInt(found.group(1)))
                .orElseThrow(() -> new AssertionError("the server did not start: " + output));
    }

    private int server(ExampleStage stage, List<String> args) {
        return listeningPort(stage.startServer(hostKey(stage), concat(args, "-c", "127.0.0.1:0")));
    }

    private void until(ExampleStage stage, String program, Map<String, String> environment, List<String> args,
            Predicate<List<String>> enough) {
        RunningExample running = program.equals(SERVER) ? stage.startServer(environment, args)
                : stage.start(program, environment, args);
        running.awaitOutput(program + " " + args, enough);
        keep(running);
    }

    private void exits(ExampleStage stage, String program, Map<String, String> environment, List<String> args)
            throws Exception {
        RunningExample running = stage.start(program, environment, args);
        running.awaitExit();
        keep(running);
    }

    /** Keeps what {@code running} printed so far, knowing which stream each line came on. */
    private void keep(RunningExample running) {
        running.stdout().forEach(line -> streams.computeIfAbsent(OutputShape.of(line), shape -> new TreeSet<>())
                .add("stdout"));
        running.stderr().forEach(line -> streams.computeIfAbsent(OutputShape.of(line), shape -> new TreeSet<>())
                .add("stderr"));
        keep(running.output());
    }

    private void keep(List<String> printed) {
        for (String line : printed) {
            if (shapes.add(OutputShape.of(line))) {
                lines.add(line);
            }
        }
    }

    private static Map<String, String> hostKey(ExampleStage stage) {
        return Map.of("RTUNNEL_HOST_KEY", stage.home.resolve(".rtunnel/host_ed25519_key").toString());
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

}
