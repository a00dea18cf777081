package rtunnel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import rtunnel.auth.SshAgent;

/**
 * The real OpenSSH {@code ssh-agent}, run in the foreground on a socket in a test's directory, with keys
 * added by the real {@code ssh-add}. Skips the test when ssh-agent is not installed (Debian: openssh-client).
 */
public final class RunningSshAgent implements AutoCloseable {

    private static final Path SSH_AGENT = Path.of("/usr/bin/ssh-agent");
    private static final Path SSH_ADD = Path.of("/usr/bin/ssh-add");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Process process;
    private final SshAgent agent;

    private RunningSshAgent(Process process, SshAgent agent) {
        this.process = process;
        this.agent = agent;
    }

    /** Starts an agent listening on {@code dir/agent.sock} and waits until it answers. */
    public static RunningSshAgent start(Path dir) throws IOException {
        assumeTrue(Files.isExecutable(SSH_AGENT), "needs " + SSH_AGENT);
        Path socket = dir.resolve("agent.sock");
        Path log = dir.resolve("agent.log");
        Process process = new ProcessBuilder(SSH_AGENT.toString(), "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RunningSshAgent running = new RunningSshAgent(process, SshAgent.at(socket));
        // The socket file appears at bind(), a moment before listen(): wait until the agent answers.
        Await.until("ssh-agent to answer on " + socket, DEADLINE,
                () -> !process.isAlive() || Files.exists(socket) && running.answers());
        assertTrue(process.isAlive(), () -> "ssh-agent exited: " + read(log));
        return running;
    }

    /** The agent's client. */
    public SshAgent agent() {
        return agent;
    }

    /** The value of SSH_AUTH_SOCK for this agent. */
    public Path socket() {
        return agent.socket();
    }

    /** Adds the private key {@code file} with the real ssh-add, which insists on owner-only permissions. */
    public void add(Path file) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ProcessBuilder builder = new ProcessBuilder(SSH_ADD.toString(), file.toString()).redirectErrorStream(true);
        builder.environment().put("SSH_AUTH_SOCK", socket().toString());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("SSH_ASKPASS");
        Process add = builder.start();
        add.getOutputStream().close();
        String output = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(add.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "ssh-add did not finish");
        assertEquals(0, add.exitValue(), output);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private boolean answers() {
        try {
            agent.identities();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
