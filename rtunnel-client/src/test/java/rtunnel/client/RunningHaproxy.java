package rtunnel.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import rtunnel.testing.Await;

/**
 * A test fixture: the real HAProxy ({@code /usr/sbin/haproxy}, which {@code .ci/run} installs) in the
 * foreground with a test's configuration, its output (health check state changes among it) in a file.
 */
final class RunningHaproxy implements AutoCloseable {

    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path log;

    private RunningHaproxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Skips the test when HAProxy is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(HAPROXY), HAPROXY + " is missing (apt-get install haproxy)");
    }

    /**
     * Starts HAProxy with {@code config}, written to {@code dir}, and returns once it accepts connections on
     * {@code front}, a port of 127.0.0.1; fails with HAProxy's output if it exits.
     */
    static RunningHaproxy start(Path dir, String config, int front, Duration deadline) throws IOException {
        Path file = Files.writeString(dir.resolve("haproxy.cfg"), config);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder(HAPROXY.toString(), "-f", file.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RunningHaproxy haproxy = new RunningHaproxy(process, log);
        try {
            Await.until("haproxy to listen on " + front, deadline, () -> haproxy.listening(front));
        } catch (RuntimeException | Error e) {
            haproxy.close();
            throw e;
        }
        return haproxy;
    }

    /**
     * A free port for HAProxy's frontend. HAProxy only binds the port its configuration names and cannot report
     * an ephemeral one back, so this external program alone gets the "bind 0, read, close, reuse" port, with its
     * small race; everything of ours binds 0 and reads the real port.
     */
    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** {@code count} such ports, all different: the probes are held open together. */
    static int[] freePorts(int count) throws IOException {
        ServerSocket[] probes = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                probes[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = probes[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket probe : probes) {
                if (probe != null) {
                    probe.close();
                }
            }
        }
    }

    /** Everything HAProxy printed so far. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until HAProxy's output holds {@code text} (e.g. "Server app/a is DOWN"); fails after the deadline. */
    void awaitOutput(String text, Duration deadline) {
        Await.until("haproxy to say \"" + text + "\"", deadline, () -> output().contains(text));
    }

    /** True once HAProxy accepts connections; fails at once, with its output, if it exited. */
    private boolean listening(int port) {
        if (!process.isAlive()) {
            throw new AssertionError("haproxy exited with " + process.exitValue() + ":\n" + output());
        }
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
