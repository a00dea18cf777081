package rtunnel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Every process the benchmark starts, so none outlives it, and the temporary directories of the throw-away
 * servers: each is closed or removed in a finally block where it is used, and a shutdown hook kills whatever
 * is still running, and removes what is left, when the benchmark is interrupted.
 */
final class ChildPrograms implements AutoCloseable {

    /** What a program that ran to its end left: its exit status, its stdout, and the file with its stderr. */
    record Finished(int status, String stdout, Path log) {
    }

    private final Path logDirectory;
    private final Set<ChildProgram> running = ConcurrentHashMap.newKeySet();
    private final Set<Path> temporaryDirectories = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private final Thread hook = new Thread(this::killAll, "bench-kill-children");

    ChildPrograms(Path logDirectory) {
        this.logDirectory = logDirectory;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Path logDirectory() {
        return logDirectory;
    }

    /** Starts {@code command}; its stderr goes to {@code <log directory>/<n>-<name>.log}. */
    ChildProgram start(String name, List<String> command) throws IOException {
        return start(name, command, null);
    }

    /**
     * Runs {@code command} to its end, as a load generator (iperf3, wrk) runs: its stdout goes to
     * {@code <n>-<name>.out} beside its log. If it has not finished within {@code limit} it is stopped and this
     * fails, so no probe can hang the run.
     */
    Finished run(String name, List<String> command, Duration limit) throws IOException, InterruptedException {
        int number = started.incrementAndGet();
        Path output = logDirectory.resolve(number + "-" + name + ".out");
        ChildProgram program = start(number, name, command, output);
        try {
            if (!program.exitedWithin(limit)) {
                throw program.failure("did not finish within " + limit.toSeconds() + " s");
            }
            return new Finished(program.exitValue(), Files.readString(output, StandardCharsets.UTF_8), program.log());
        } finally {
            stop(program);
        }
    }

    private ChildProgram start(String name, List<String> command, Path output) throws IOException {
        return start(started.incrementAndGet(), name, command, output);
    }

    private ChildProgram start(int number, String name, List<String> command, Path output) throws IOException {
        Path log = logDirectory.resolve(number + "-" + name + ".log");
        ChildProgram program = ChildProgram.start(name, command, log, output);
        running.add(program);
        return program;
    }

    /** A new directory in the system's temporary directory, removed by {@link #delete} or at the latest on exit. */
    Path temporaryDirectory(String prefix, FileAttribute<?>... attributes) throws IOException {
        Path directory = Files.createTempDirectory(prefix, attributes);
        temporaryDirectories.add(directory);
        return directory;
    }

    /** Removes a directory {@link #temporaryDirectory} made, and everything in it. */
    void delete(Path directory) throws IOException {
        deleteTree(directory);
        temporaryDirectories.remove(directory);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(directory)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.deleteIfExists(path);
        }
    }

    /** Stops {@code program} and waits for it to be gone. */
    void stop(ChildProgram program) {
        try {
            program.close();
        } finally {
            running.remove(program);
        }
    }

    private void killAll() {
        for (ChildProgram program : running) {
            program.kill();
        }
        deleteTemporaryDirectories();
    }

    private void deleteTemporaryDirectories() {
        for (Path directory : temporaryDirectories) {
            try {
                delete(directory);
            } catch (IOException e) {
                // A process killed a moment ago may still be writing there: what is left is only throw-away files.
            }
        }
    }

    /** Stops every program still running, and removes the shutdown hook. */
    @Override
    public void close() {
        for (ChildProgram program : running) {
            stop(program);
        }
        deleteTemporaryDirectories();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting: the hook is killing the programs.
        }
    }
}
