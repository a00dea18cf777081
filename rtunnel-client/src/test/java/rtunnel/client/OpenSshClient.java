package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import rtunnel.testing.Await;

/**
 * The real OpenSSH client ({@code ssh}) against a gateway on loopback: its own known_hosts (the server's
 * host key, strictly checked), its own identity file and nothing else (BatchMode, IdentitiesOnly), and its
 * stderr kept for the test to read.
 */
final class OpenSshClient implements AutoCloseable {

    /** How long ssh may take to sign in and forward, on a loaded two-core machine. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Pattern ALLOCATED = Pattern.compile("Allocated port (\\d+) for remote forward");

    private final Process process;
    private final StringBuffer stderr = new StringBuffer();
    private final Thread reader;

    private OpenSshClient(Process process) {
        this.process = process;
        this.reader = new Thread(this::readStderr, "ssh-stderr-" + process.pid());
        reader.start();
    }

    /** Skips the test when no {@code ssh} is installed (.ci/run installs openssh-client). */
    static void assumeInstalled() {
        Assumptions.assumeTrue(onPath("ssh") && onPath("ssh-keygen"), "OpenSSH client (ssh, ssh-keygen) not installed");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A known_hosts file in {@code directory} naming the public half of {@code hostKey} (as ssh-keygen reads it)
     * for {@code [127.0.0.1]:port}.
     */
    static Path knownHosts(Path directory, Path hostKey, int port) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-y", "-f", hostKey.toString()).redirectErrorStream(true).start();
        String publicKey = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(keygen.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && keygen.exitValue() == 0, publicKey);
        Path file = Files.createTempFile(directory, "known_hosts", "");
        Files.writeString(file, "[127.0.0.1]:" + port + " " + publicKey + "\n");
        return file;
    }

    /** ssh's own rule: a private key others can read is ignored. */
    static Path privateKey(Path key) throws IOException {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    /** Starts {@code ssh -p port [args...] user@127.0.0.1} with the test's files. */
    static OpenSshClient start(int port, Path knownHosts, Path identity, String... args) throws IOException {
        return start(port, knownHosts, identity, List.of("-o", "ControlMaster=no", "-o", "ControlPath=none"), args);
    }

    /**
     * Starts {@code ssh} as {@link #start} does, listening for {@code ssh -O} commands on {@code controlSocket}
     * ({@link #control}).
     */
    static OpenSshClient startMaster(int port, Path knownHosts, Path identity, Path controlSocket, String... args)
            throws IOException {
        return start(port, knownHosts, identity, List.of("-o", "ControlMaster=yes", "-o", "ControlPath=" + controlSocket),
                args);
    }

    private static OpenSshClient start(int port, Path knownHosts, Path identity, List<String> control, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh", "-p", Integer.toString(port),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none"));
        command.addAll(control);
        command.addAll(List.of("-F", "/dev/null", "-i", privateKey(identity).toString()));
        command.addAll(List.of(args));
        command.add("tunnel@127.0.0.1");
        return new OpenSshClient(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    /**
     * Runs {@code ssh -S controlSocket -O ARGS...} against a master started by {@link #startMaster} (as
     * {@code -O cancel -R app:80:localhost:3000}); returns its status, once it has ended.
     */
    static int control(Path controlSocket, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-S", controlSocket.toString(), "-O"));
        command.addAll(List.of(args));
        command.add("tunnel@127.0.0.1");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "ssh -O did not end: " + command);
        return process.exitValue();
    }

    private void readStderr() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                stderr.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String stderr() {
        return stderr.toString();
    }

    /** Waits for ssh's stderr to say {@code text}. */
    void awaitStderr(String text) {
        try {
            Await.until("ssh to print '" + text + "'", WAIT, () -> stderr.indexOf(text) >= 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it printed: " + stderr, e);
        }
    }

    /** The port ssh reports for a {@code -R 0:...} forward, once it has printed it. */
    int allocatedPort() {
        awaitStderr("Allocated port ");
        Matcher matcher = ALLOCATED.matcher(stderr);
        assertTrue(matcher.find(), stderr.toString());
        return Integer.parseInt(matcher.group(1));
    }

    /** Waits for ssh to exit; returns its status. */
    int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "ssh did not exit: " + stderr);
        reader.join(WAIT.toMillis());
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Freezes ssh ({@code kill -STOP}): its TCP connection stays open, but it answers nothing. */
    void freeze() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -STOP failed");
    }

    @Override
    public void close() throws InterruptedException {
        // SIGKILL ends a stopped process too.
        process.destroyForcibly();
        process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        reader.join(WAIT.toMillis());
    }
}
