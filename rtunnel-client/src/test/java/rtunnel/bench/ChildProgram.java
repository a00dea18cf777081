package rtunnel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One program the benchmark runs as a separate process (the server, the client, the echo target, sshd, ssh,
 * nginx, iperf3, wrk): its stdout lines or file, its stderr in a log file, its pid to measure.
 * {@link #close()} stops it and every process it started, and waits for them to be gone.
 */
final class ChildProgram implements AutoCloseable {

    /** How long SIGTERM has to stop a program before SIGKILL: the programs' own stop deadline is 10 s. */
    private static final Duration TERM_GRACE = Duration.ofSeconds(12);

    /** How often the log file is read again while waiting for a line in it. */
    private static final Duration LOG_POLL = Duration.ofMillis(20);

    /**
     * util-linux's setpriv makes the kernel SIGKILL the child when the benchmark dies, even by SIGKILL,
     * where no shutdown hook runs. It fires when the thread that started the child ends, so start children
     * only from the thread that runs the whole benchmark.
     */
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final String name;
    private final Process process;
    private final Path log;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildProgram(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readStdout, "bench-stdout-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command}, its stderr going to {@code log}, its stdout to {@code output} or, if null, a pipe. */
    static ChildProgram start(String name, List<String> command, Path log, Path output) throws IOException {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
        }
        full.addAll(command);
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        ProcessBuilder builder = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        return new ChildProgram(name, builder.start(), log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** The file its stderr goes to, after a first line with the command. */
    Path log() {
        return log;
    }

    /** The next stdout line that matches {@code pattern}; fails if the program exits or is silent too long. */
    Matcher awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                    TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.matches()) {
                    return matcher;
                }
                seen.add(line);
            } else if (!process.isAlive() && lines.isEmpty()) {
                throw failure("exited with status " + process.exitValue());
            } else if (System.nanoTime() - deadline > 0) {
                throw failure("printed no line like '" + pattern + "' within " + timeout.toSeconds() + " s");
            }
        }
    }

    /**
     * The first {@code count} lines of its stderr log that match {@code pattern}, once there are that many: for
     * programs that announce what they did on stderr only (sshd's listening line, ssh's allocated ports).
     */
    List<Matcher> awaitLogLines(Pattern pattern, int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Matcher> found = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.matches() && found.size() < count) {
                    found.add(matcher);
                }
            }
            if (found.size() == count) {
                return found;
            }
            if (exitedWithin(LOG_POLL)) {
                throw failure("exited with status " + process.exitValue() + " before writing '" + pattern + "'");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("wrote " + found.size() + " of " + count + " lines like '" + pattern + "' within "
                        + timeout.toSeconds() + " s");
            }
        }
    }

    /**
     * Returns once a connection to {@code port} on 127.0.0.1 succeeds, trying again every {@link #LOG_POLL}
     * while this program runs; fails when it exits first (it could not bind, say) or at the deadline.
     */
    void awaitConnectable(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Loopback.TIMEOUT_MILLIS);
                return;
            } catch (ConnectException notYet) {
                // Nothing listens there yet: look again after a short wait for the program's exit.
            }
            if (exitedWithin(LOG_POLL)) {
                throw failure("exited with status " + process.exitValue() + " before port " + port + " accepted");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("did not accept connections on port " + port + " within " + timeout.toSeconds() + " s");
            }
        }
    }

    /** Whether the program exits within {@code timeout}; false if it is still running then. */
    boolean exitedWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Its exit status, once it has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** Completes when the program exits. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Whether the program is still running. */
    boolean alive() {
        return process.isAlive();
    }

    IOException failure(String what) {
        return new IOException(name + " " + what + "; stdout " + seen + "; stderr in " + log);
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process ended and its pipe closed: nothing more to read.
        }
    }

    /**
     * SIGTERM to the program and every process it started (sshd's sessions, nginx's workers), then SIGKILL to
     * whatever has not stopped in time; returns once the program is gone.
     */
    @Override
    public void close() {
        List<ProcessHandle> family = family();
        family.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(family.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            family().forEach(ProcessHandle::destroyForcibly);
            awaitGone();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitGone() {
        try {
            process.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the program and every process it started at once, without waiting: for the shutdown hook. */
    void kill() {
        family().forEach(ProcessHandle::destroyForcibly);
    }

    /** The program's descendants, deepest last, then the program: so children get the signal first. */
    private List<ProcessHandle> family() {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(process.toHandle());
        return family;
    }
}
