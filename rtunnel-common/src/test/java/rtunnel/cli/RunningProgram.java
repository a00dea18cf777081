package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.function.Consumer;
import rtunnel.testing.Await;

/**
 * A test fixture: {@code bin/rtunnel_server} or {@code bin/rtunnel_client} running as a separate process, its
 * stdout lines queued as they arrive and its stderr collected. The launcher runs from the test's own class
 * path (RTUNNEL_CLASSPATH), so it tests the code just compiled and never starts a nested Maven build, and
 * with {@code user.home} in {@code target/test-home}, so nothing is written to the real home. Each program
 * gets a known_hosts file of its own (RTUNNEL_KNOWN_HOSTS, unless the test sets it), since ephemeral ports
 * are reused: a file shared between tests would meet another server's key under a port it knows.
 */
public final class RunningProgram implements AutoCloseable {

    /** Long enough for a JVM to start on a busy two-core machine. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    /** The home directory the programs see (in the module's build output, so {@code mvn clean} removes it). */
    private static final Path TEST_HOME = Path.of("target", "test-home").toAbsolutePath();

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private RunningProgram(Process process, String program) {
        this.process = process;
        this.stdoutReader = read(process.getInputStream(), stdout::add, program + "-stdout");
        this.stderrReader = read(process.getErrorStream(), line -> stderr.append(line).append('\n'),
                program + "-stderr");
    }

    /** Starts {@code bin/PROGRAM ARGS...} from the repository that holds the working directory. */
    public static RunningProgram start(String program, String... args) throws IOException {
        return start(launcher(program), Path.of(""), args);
    }

    /** Starts {@code launcher ARGS...} (a launcher or a link to one) in {@code directory}. */
    public static RunningProgram start(Path launcher, Path directory, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toAbsolutePath().toFile());
        builder.environment().put("RTUNNEL_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        // The server keeps its host key under ~/.rtunnel: give the programs a home of their own.
        builder.environment().merge("RTUNNEL_JAVA_OPTS", "-Duser.home=" + TEST_HOME,
                (given, home) -> given + " " + home);
        Files.createDirectories(TEST_HOME);
        builder.environment().putIfAbsent("RTUNNEL_KNOWN_HOSTS",
                Files.createTempDirectory(TEST_HOME, "known-hosts").resolve("known_hosts").toString());
        return new RunningProgram(builder.start(), launcher.getFileName().toString());
    }

    /** {@code bin/PROGRAM}, looked for in the working directory and its parents (Maven runs in the module). */
    public static Path launcher(String program) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path launcher = dir.resolve("bin").resolve(program);
            if (Files.isExecutable(launcher)) {
                return launcher;
            }
        }
        throw new IllegalStateException("no executable bin/" + program + " above " + Path.of("").toAbsolutePath());
    }

    /** The next stdout line starting with {@code prefix} (earlier lines are skipped); fails after the deadline. */
    public String awaitLine(String prefix) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            String line = stdout.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                return fail("no line starting '" + prefix + "' within " + DEADLINE + "; alive=" + process.isAlive()
                        + ", stderr:\n" + stderr);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Waits, while the program runs, until its stderr holds {@code text}; fails after the deadline. Check
     * stderr this way before stopping a program: what a process wrote just before it was stopped can be
     * lost to a reader when the JDK drains the pipe at its exit.
     */
    public void awaitStderr(String text) {
        Await.until("stderr to show \"" + text + "\"", DEADLINE, () -> stderr.indexOf(text) >= 0);
    }

    /** Waits for the program to exit by itself and returns its status. */
    public int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                "still running after " + DEADLINE + "; stderr:\n" + stderr);
        stdoutReader.join(DEADLINE.toMillis());
        stderrReader.join(DEADLINE.toMillis());
        return process.exitValue();
    }

    /** Sends SIGTERM, as a service manager or Ctrl-C would, and returns the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    /** Sends SIGKILL, as a crash or {@code kill -9} would, and returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "still running after SIGKILL");
    }

    /** The next stdout line, or a failure after the deadline. */
    public String awaitLine() throws InterruptedException {
        return awaitLine("");
    }

    /** Everything printed on stderr so far (all of it once {@link #awaitExit()} returned). */
    public String stderr() {
        return stderr.toString();
    }

    /** Kills the program (and anything it started) if it is still running. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Thread read(InputStream stream, Consumer<String> sink, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // close() killed the process and its pipe with it: there is nothing more to read.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
