package rtunnel.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command lines of the programs the benchmark starts: the server and client jars with their JVM options
 * and extra arguments (where key authentication's {@code -a FILE} and {@code -k FILE} go), and the echo
 * target from the benchmark's own class path. All of them run on the benchmark's own Java.
 *
 * @param java        the java executable
 * @param root        the repository, holding the built jars
 * @param serverJvm   JVM options for the server, e.g. {@code -Xmx256m}
 * @param clientJvm   JVM options for the client
 * @param serverArgs  extra server arguments, e.g. {@code -a authorized_keys}
 * @param clientArgs  extra client arguments, e.g. {@code -k id_ed25519}
 */
record ProgramCommands(Path java, Path root, List<String> serverJvm, List<String> clientJvm,
        List<String> serverArgs, List<String> clientArgs) {

    /** Splits a space-separated option string as a shell would without quotes; empty for none. */
    static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    /** The Java running this benchmark. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    Path serverJar() {
        return root.resolve("rtunnel-server/target/rtunnel_server.jar");
    }

    Path clientJar() {
        return root.resolve("rtunnel-client/target/rtunnel_client.jar");
    }

    /** The server on an ephemeral loopback control port; it prints the port it bound. */
    List<String> server() {
        List<String> command = jar(serverJvm, serverJar());
        command.addAll(List.of("-c", "127.0.0.1:0", "-l", "error"));
        command.addAll(serverArgs);
        return command;
    }

    /** The client with one tunnel from an ephemeral public port to each of {@code targetPorts}. */
    List<String> client(int controlPort, List<Integer> targetPorts) {
        List<String> command = jar(clientJvm, clientJar());
        command.addAll(List.of("-c", "127.0.0.1:" + controlPort, "-l", "error"));
        for (int port : targetPorts) {
            command.addAll(List.of("-f", "127.0.0.1:0", "-t", "127.0.0.1:" + port));
        }
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
