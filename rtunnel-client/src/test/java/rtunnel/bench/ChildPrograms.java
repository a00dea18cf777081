package rtunnel.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every process the benchmark starts, so none outlives it: each is closed in a finally block where it is
 * used, and a shutdown hook kills whatever is still running when the benchmark is interrupted.
 */
final class ChildPrograms implements AutoCloseable {

    private final Path logDirectory;
    private final Set<ChildProgram> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private final Thread hook = new Thread(this::killAll, "bench-kill-children");

    ChildPrograms(Path logDirectory) {
        this.logDirectory = logDirectory;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command}; its stderr goes to {@code <log directory>/<n>-<name>.log}. */
    ChildProgram start(String name, List<String> command) throws IOException {
        Path log = logDirectory.resolve(started.incrementAndGet() + "-" + name + ".log");
        ChildProgram program = ChildProgram.start(name, command, log);
        running.add(program);
        return program;
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
    }

    /** Stops every program still running, and removes the shutdown hook. */
    @Override
    public void close() {
        for (ChildProgram program : running) {
            stop(program);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting: the hook is killing the programs.
        }
    }
}
