package rtunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An OpenSSH server on 127.0.0.1 for one {@code ssh -R} peer, with files of its own in a temporary directory:
 * a host key and a client key made by ssh-keygen, the client key as its only authorized key, and a
 * configuration that reads nothing from /etc/ssh. Ephemeral ports are reused within minutes, so nothing is
 * written where a later run could meet it (no ~/.ssh/known_hosts). Closing it stops sshd and its session
 * processes and removes the directory.
 */
final class ThrowawaySshd implements AutoCloseable {

    /** sshd and ssh-keygen take milliseconds; this allows for a loaded machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ChildPrograms programs;
    private final ChildProgram program;
    private final Path directory;
    private final int port;

    private ThrowawaySshd(ChildPrograms programs, ChildProgram program, Path directory, int port) {
        this.programs = programs;
        this.program = program;
        this.directory = directory;
        this.port = port;
    }

    /** Makes the keys and configuration, then starts sshd and waits until it listens. */
    static ThrowawaySshd start(ChildPrograms programs, InstalledTools tools, String label)
            throws IOException, InterruptedException {
        Path directory = programs.temporaryDirectory("rtunnel-bench-sshd-");
        try {
            makeKey(programs, tools, directory.resolve("host_key"), label + "-ssh-keygen-host");
            makeKey(programs, tools, directory.resolve("client_key"), label + "-ssh-keygen-client");
            Files.copy(directory.resolve("client_key.pub"), directory.resolve("authorized_keys"));
            Path configuration = directory.resolve("sshd_config");
            Files.writeString(configuration, configuration(directory));
            // sshd refuses to start without its privilege separation directory.
            Files.createDirectories(InstalledTools.SSHD_PRIVSEP_DIRECTORY);
            return UnusedPort.startWithRetries("sshd", port -> {
                ChildProgram program = programs.start(label + "-sshd", List.of(tools.sshd().toString(), "-D", "-e",
                        "-f", configuration.toString(), "-p", Integer.toString(port)));
                try {
                    program.awaitLogLines(Pattern.compile("Server listening on 127\\.0\\.0\\.1 port " + port + "\\."),
                            1, START_TIMEOUT);
                    return new ThrowawaySshd(programs, program, directory, port);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    programs.stop(program);
                    throw e;
                }
            });
        } catch (IOException | InterruptedException | RuntimeException e) {
            programs.delete(directory);
            throw e;
        }
    }

    private static void makeKey(ChildPrograms programs, InstalledTools tools, Path file, String name)
            throws IOException, InterruptedException {
        ChildPrograms.Finished keygen = programs.run(name, List.of(tools.sshKeygen().toString(), "-q", "-t", "ed25519",
                "-N", "", "-C", "rtunnel-bench", "-f", file.toString()), START_TIMEOUT);
        if (keygen.status() != 0) {
            throw new IOException("ssh-keygen exited with status " + keygen.status() + "; see " + keygen.log());
        }
    }

    private static String configuration(Path directory) {
        return String.join("\n",
                "ListenAddress 127.0.0.1",
                "HostKey " + directory.resolve("host_key"),
                "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                "PidFile none",
                // No PAM session, no mode checks on a temporary directory, and a key as the only way in.
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                // Forwarded ports listen on loopback only, whatever the client asks.
                "GatewayPorts no",
                "AllowTcpForwarding yes",
                "X11Forwarding no",
                "PrintMotd no",
                "LogLevel INFO", "");
    }

    int port() {
        return port;
    }

    Path clientKey() {
        return directory.resolve("client_key");
    }

    ChildProgram program() {
        return program;
    }

    @Override
    public void close() throws IOException {
        try {
            programs.stop(program);
        } finally {
            programs.delete(directory);
        }
    }
}
