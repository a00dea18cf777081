package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code iperf3 -s} on 127.0.0.1, the target of the iperf3 probes. It serves one test at a time, which is
 * all the probes ask of it; its control and data connections all go to its one port, so one tunnel carries a
 * whole test.
 */
final class Iperf3Server implements AutoCloseable {

    /** iperf3 starts in milliseconds; this allows for a loaded machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final ChildPrograms programs;
    private final ChildProgram program;
    private final int port;

    private Iperf3Server(ChildPrograms programs, ChildProgram program, int port) {
        this.programs = programs;
        this.program = program;
        this.port = port;
    }

    static Iperf3Server start(ChildPrograms programs, InstalledTools tools) throws IOException, InterruptedException {
        return UnusedPort.startWithRetries("iperf3 -s", port -> {
            // Forced flushing: stdout is a pipe, where iperf3 would otherwise hold back its "listening" line.
            ChildProgram program = programs.start("iperf3-server", List.of(tools.iperf3().toString(), "-s",
                    "-B", "127.0.0.1", "-p", Integer.toString(port), "--forceflush"));
            try {
                program.awaitLine(Pattern.compile("Server listening on " + port + ".*"), START_TIMEOUT);
                return new Iperf3Server(programs, program, port);
            } catch (IOException | InterruptedException | RuntimeException e) {
                programs.stop(program);
                throw e;
            }
        });
    }

    int port() {
        return port;
    }

    /** Its figures (nginx's with its workers). */
    ProcessStats stats() throws IOException {
        return TunnelProcesses.stats(program);
    }

    @Override
    public void close() {
        programs.stop(program);
    }
}
