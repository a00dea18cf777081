package rtunnel.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.Await;

/**
 * A documentation example's program running in this JVM, on a thread of its own, its stdout and stderr
 * kept as lines. A server stops when its thread is interrupted; a client, which the examples run with
 * RTUNNEL_NO_RECONNECT=true, ends when its server does.
 */
final class RunningExample implements AutoCloseable {

    /** Long enough for a handshake on a busy two-core machine. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private Thread thread;
    private Process process;

    private RunningExample() {
    }

    /** Starts {@code program} (rtunnel_server or rtunnel_client) with {@code args} in this JVM. */
    static RunningExample start(String program, Map<String, String> environment, List<String> args) {
        RunningExample example = new RunningExample();
        CommandLine command = ExamplePrograms.commandLine(program, new PrintWriter(example.out, true),
                new PrintWriter(example.err, true), environment);
        example.thread = new Thread(() -> {
            try {
                example.exit.complete(command.execute(args.toArray(String[]::new)));
            } catch (Throwable e) {
                example.exit.completeExceptionally(e);
            }
        }, "example-" + program);
        example.thread.setDaemon(true);
        example.thread.start();
        return example;
    }

    /**
     * Starts {@code program}'s launcher as a process of its own, for an example that needs what only a
     * process environment gives (the ssh-agent's SSH_AUTH_SOCK). It runs the classes just compiled.
     */
    static RunningExample launch(String program, Map<String, String> environment, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RunningProgram.launcher(program).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().put("RTUNNEL_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        RunningExample example = new RunningExample();
        example.process = builder.start();
        example.process.getOutputStream().close();
        copy(example.process.getInputStream(), example.out, program + "-stdout");
        copy(example.process.getErrorStream(), example.err, program + "-stderr");
        example.process.onExit().thenAccept(ended -> example.exit.complete(ended.exitValue()));
        return example;
    }

    private static void copy(InputStream from, Writer to, String name) {
        Thread reader = new Thread(() -> {
            try {
                new InputStreamReader(from, StandardCharsets.UTF_8).transferTo(to);
            } catch (IOException e) {
                // The process was killed and its pipe with it: there is nothing more to read.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until the lines printed so far (stdout, then stderr) satisfy {@code enough}, or the program ends. */
    List<String> awaitOutput(String what, Predicate<List<String>> enough) {
        Await.until(what, DEADLINE, () -> enough.test(output()) || exit.isDone());
        return output();
    }

    /** Waits for the program to end by itself and returns its exit status. */
    int awaitExit() throws Exception {
        return exit.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isRunning() {
        return !exit.isDone();
    }

    /** Every line printed so far: stdout's, then stderr's. */
    List<String> output() {
        List<String> all = new ArrayList<>(out.lines());
        all.addAll(err.lines());
        return all;
    }

    List<String> stdout() {
        return out.lines();
    }

    List<String> stderr() {
        return err.lines();
    }

    /** Stops the program: in this JVM by interrupting it (which ends a server), a process by SIGTERM. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            process.destroyForcibly();
        } else {
            thread.interrupt();
            thread.join(DEADLINE.toMillis());
        }
    }

    /** A Writer that keeps what is written as complete lines. */
    private static final class Lines extends Writer {
        private final StringBuilder partial = new StringBuilder();
        private final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void write(char[] text, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (text[i] == '\n') {
                    lines.add(partial.toString());
                    partial.setLength(0);
                } else {
                    partial.append(text[i]);
                }
            }
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void flush() {
            // Lines are kept as they are written.
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    }
}
