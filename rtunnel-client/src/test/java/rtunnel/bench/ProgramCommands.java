package rtunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command lines of the programs the benchmark starts: the server and client jars with their JVM options,
 * the mode's arguments and extra arguments (where key authentication's {@code -a FILE} and {@code -k FILE}
 * go), and the echo target from the benchmark's own class path. All of them run on the benchmark's own Java.
 *
 * @param java        the java executable
 * @param root        the repository, holding the built jars
 * @param serverJvm   JVM options for the server, e.g. {@code -XX:+UseSerialGC -Xmn16m}
 * @param clientJvm   JVM options for the client
 * @param serverArgs  extra server arguments, e.g. {@code -a authorized_keys}
 * @param clientArgs  extra client arguments, e.g. {@code -k id_ed25519}
 * @param hostKey     the servers' host key, made by the first server of the run: a file of the run's own, so
 *                    the benchmark never writes ~/.rtunnel
 */
record ProgramCommands(Path java, Path root, List<String> serverJvm, List<String> clientJvm,
        List<String> serverArgs, List<String> clientArgs, Path hostKey) {

    /**
     * The launchers' default JVM options, for when {@code bin/rtunnel_server} cannot be read: keep in step
     * with its {@code default_java_opts}.
     */
    static final String LAUNCHER_JVM_OPTIONS = "-XX:+UseSerialGC -Xmn16m -XX:StackShadowPages=10";

    /**
     * The JIT hints the launchers always give (their {@code crypto_jit_opts}), for when {@code bin/rtunnel_server}
     * cannot be read: keep in step with it.
     */
    static final String LAUNCHER_JIT_OPTIONS = "-XX:CompileCommand=quiet"
            + " -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.GHASH::*,0.1"
            + " -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.CounterMode::*,0.1"
            + " -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.AESCrypt::*,0.1";

    /** Splits a space-separated option string as a shell would without quotes; empty for none. */
    static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    /** The Java running this benchmark. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The JVM options {@code bin/rtunnel_server} and {@code bin/rtunnel_client} use when RTUNNEL_JAVA_OPTS is
     * unset, read from the launcher in {@code root} so the benchmark runs what users run.
     */
    static String launcherJvmOptions(Path root) {
        return launcherVariable(root, "default_java_opts", LAUNCHER_JVM_OPTIONS);
    }

    /** The JIT hints the launchers in {@code root} give ahead of any other JVM options. */
    static String launcherJitOptions(Path root) {
        return launcherVariable(root, "crypto_jit_opts", LAUNCHER_JIT_OPTIONS);
    }

    /** The value of the double-quoted shell variable {@code name} in the launcher, or its documented default. */
    private static String launcherVariable(Path root, String name, String fallback) {
        try {
            Matcher matcher = Pattern.compile("(?m)^\\s*" + name + "=\"([^\"]*)\"")
                    .matcher(Files.readString(root.resolve("bin/rtunnel_server")));
            return matcher.find() ? matcher.group(1) : fallback;
        } catch (IOException e) {
            return fallback; // No launcher beside the jars: its documented defaults.
        }
    }

    Path serverJar() {
        return root.resolve("rtunnel-server/target/rtunnel_server.jar");
    }

    Path clientJar() {
        return root.resolve("rtunnel-client/target/rtunnel_client.jar");
    }

    /** The server in {@code mode} on an ephemeral loopback control port; it prints the port it bound. */
    List<String> server(Side mode) {
        List<String> command = jar(serverJvm, serverJar());
        command.addAll(List.of("-c", "127.0.0.1:0", "-l", "error"));
        if (!serverArgs.contains("--host-key")) {
            command.addAll(List.of("--host-key", hostKey.toString()));
        }
        command.addAll(mode.programArgs);
        command.addAll(serverArgs);
        return command;
    }

    /**
     * The client in {@code mode} with one tunnel from an ephemeral public port to each of {@code targetPorts},
     * trusting the host key with {@code fingerprint}: a known_hosts file would be keyed by ports that later runs
     * reuse for servers with other keys.
     */
    List<String> client(Side mode, int controlPort, List<Integer> targetPorts, String fingerprint) {
        List<String> command = jar(clientJvm, clientJar());
        command.addAll(List.of("-c", "127.0.0.1:" + controlPort, "-l", "error"));
        if (!clientArgs.contains("--server-fingerprint") && !clientArgs.contains("--known-hosts")) {
            command.addAll(List.of("--server-fingerprint", fingerprint));
        }
        for (int port : targetPorts) {
            command.addAll(List.of("-f", "127.0.0.1:0", "-t", "127.0.0.1:" + port));
        }
        command.addAll(mode.programArgs);
        command.addAll(clientArgs);
        return command;
    }

    /** The echo target in a process of its own, so its sockets do not count against this process's limit. */
    List<String> echo() {
        return new ArrayList<>(List.of(java.toString(), "-Xss256k", "-cp", System.getProperty("java.class.path"),
                SelectorEcho.class.getName()));
    }

    private List<String> jar(List<String> jvmOptions, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }
}
