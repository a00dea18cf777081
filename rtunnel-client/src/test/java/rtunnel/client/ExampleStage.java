package rtunnel.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import rtunnel.testing.KeyFixtures;

/**
 * Where one document's examples run, in order, so that a later example uses what an earlier one made: one
 * home directory for "the laptop" and "the VPS" alike ({@code ~} in the examples), the servers and clients
 * started so far, and what the document's made-up values stand for here (its host key fingerprints, its
 * public ports). An example that needs the laptop's key before any example made it gets the ed25519
 * fixture as {@code ~/.ssh/rtunnel_laptop}, listed in {@code ~/.rtunnel/authorized_keys}.
 */
final class ExampleStage implements AutoCloseable {

    /** The launcher name a shell step may call a program by. */
    static final String BASH = "/bin/bash";

    final Path home;
    /** The document's fingerprints and public ports, mapped to the real ones as runs reveal them. */
    final Map<String, String> standIns = new HashMap<>();
    final HttpServer web;
    private final KeyFixtures keys = new KeyFixtures();
    private final List<RunningExample> running = new ArrayList<>();
    private final Properties systemProperties = (Properties) System.getProperties().clone();
    private RunningExample server;
    private int serverPort;

    ExampleStage() throws IOException {
        home = Files.createTempDirectory("rtunnel-doc-home");
        // A home as ssh-keygen expects it: ~/.ssh exists, readable by its user only.
        Files.createDirectory(home.resolve(".ssh"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            byte[] body = "hello through the tunnel\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
    }

    /** {@code ~/...} as a path in the stage's home. */
    String expandHome(String word) {
        return word.startsWith("~/") ? home.resolve(word.substring(2)).toString() : word;
    }

    /** Makes the laptop's key and the VPS's authorized_keys from the fixtures, unless an example made them. */
    void ensureLaptopKey() throws IOException {
        Path key = home.resolve(".ssh/rtunnel_laptop");
        if (!Files.exists(key)) {
            Files.createDirectories(key.getParent());
            Files.copy(keys.file("ed25519"), key);
            // ssh-add refuses a private key others may read, as ssh-keygen would never write one.
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.copy(keys.file("ed25519.pub"), home.resolve(".ssh/rtunnel_laptop.pub"));
        }
        Path authorized = home.resolve(".rtunnel/authorized_keys");
        if (!Files.exists(authorized)) {
            Files.createDirectories(authorized.getParent());
            Files.copy(home.resolve(".ssh/rtunnel_laptop.pub"), authorized);
        }
    }

    /** Starts a server (stopping the one before), which later client examples connect to. */
    RunningExample startServer(Map<String, String> environment, List<String> args) {
        stopServer();
        server = start(ExamplePrograms.SERVER, environment, args);
        return server;
    }

    /** The running server's control port, once its listening line is out. */
    int serverPort() {
        return serverPort;
    }

    void serverListensOn(int port) {
        serverPort = port;
    }

    boolean hasServer() {
        return server != null && server.isRunning();
    }

    RunningExample start(String program, Map<String, String> environment, List<String> args) {
        return started(RunningExample.start(program, knownHosts(program, environment), args));
    }

    /** Starts {@code program} through its launcher, as a process (see {@link RunningExample#launch}). */
    RunningExample launch(String program, Map<String, String> environment, List<String> args) throws IOException {
        return started(RunningExample.launch(program, knownHosts(program, environment), args));
    }

    /**
     * A client's known_hosts is {@code ~/.rtunnel/known_hosts} in the stage's home, as the documents show it,
     * never the real home's: the servers of one stage share one host key, so the file stays true to them.
     */
    private Map<String, String> knownHosts(String program, Map<String, String> environment) {
        return program.equals(ExamplePrograms.CLIENT) ? with(environment, "RTUNNEL_KNOWN_HOSTS",
                home.resolve(".rtunnel/known_hosts").toString()) : environment;
    }

    /** Keeps {@code example} to stop it with the stage. */
    RunningExample started(RunningExample example) {
        running.add(example);
        return example;
    }

    /** Stops the running server, if any (its clients end with it). */
    void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a shell step with bash in the stage's home, with {@code HOME} pointing there. The variables a
     * step exports (as {@code eval "$(ssh-agent)"} does) reach the later steps of the document.
     */
    ShellResult sh(String command) throws IOException, InterruptedException {
        Path saved = home.resolve(".exported");
        String script = "[ -f " + saved + " ] && . " + saved + "\n" + command + "\nstatus=$?\nexport -p > " + saved
                + "\nexit $status\n";
        ProcessBuilder builder = new ProcessBuilder(BASH, "-c", script).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        byte[] printed = process.getInputStream().readAllBytes();
        if (!process.waitFor(RunningExample.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + RunningExample.DEADLINE + ": " + command);
        }
        return new ShellResult(process.exitValue(), new String(printed, StandardCharsets.UTF_8).lines().toList());
    }

    /** The value a shell step exported, like the SSH_AUTH_SOCK of {@code eval "$(ssh-agent)"}, if any. */
    Optional<String> exported(String name) throws IOException {
        Path saved = home.resolve(".exported");
        if (!Files.exists(saved)) {
            return Optional.empty();
        }
        Matcher value = Pattern.compile("(?m)^declare -x " + name + "=\"([^\"]*)\"$").matcher(Files.readString(saved));
        return value.find() ? Optional.of(value.group(1)) : Optional.empty();
    }

    /** A shell step's exit status and its output (stdout and stderr together). */
    record ShellResult(int status, List<String> output) {
    }

    /** Stops the servers first, so that the clients (which do not reconnect) end too; ends any ssh-agent a step started. */
    @Override
    public void close() throws Exception {
        stopServer();
        for (RunningExample example : running) {
            example.close();
        }
        web.stop(0);
        Path saved = home.resolve(".exported");
        if (Files.exists(saved) && Files.readString(saved).contains("SSH_AGENT_PID")) {
            sh("ssh-agent -k >/dev/null");
        }
        System.setProperties(systemProperties);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(environment);
        more.putIfAbsent(name, value);
        return more;
    }
}
