package rtunnel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One program the benchmark runs as a separate process (the server, the client, the echo target): its
 * stdout lines to wait on, its pid to measure, its stderr in a log file. {@link #close()} kills it and
 * waits for it to be gone.
 */
final class ChildProgram implements AutoCloseable {

    /** How long SIGTERM has to stop a program before SIGKILL: the programs' own stop deadline is 10 s. */
    private static final Duration TERM_GRACE = Duration.ofSeconds(12);

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

    /** Starts {@code command}, its stderr going to {@code log}. */
    static ChildProgram start(String name, List<String> command, Path log) throws IOException {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
        }
        full.addAll(command);
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        Process process = new ProcessBuilder(full)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ChildProgram(name, process, log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
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

    /** Completes when the program exits. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Whether the program is still running. */
    boolean alive() {
        return process.isAlive();
    }

    private IOException failure(String what) {
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

    /** SIGTERM, then SIGKILL if it has not stopped in time; returns once the process is gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process at once, without waiting: for the shutdown hook. */
    void kill() {
        process.destroyForcibly();
    }
}
