package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP requests measured by a real client: wrk fetching {@link NginxTarget}'s 1 KiB file through a port that
 * leads to nginx, over keep-alive connections or with a new connection for each request
 * ({@code Connection: close}).
 */
final class WrkProbe {

    /** Keep-alive connections: as many as a browser-facing service sees from a handful of busy clients. */
    static final int KEEP_ALIVE_CONNECTIONS = 64;

    /** Connections for new-connection rates: enough to keep the path busy without a backlog of connects. */
    static final int CLOSING_CONNECTIONS = 16;

    /** A few failed requests happen on a loaded machine; more than this share means the path is broken. */
    static final double MAX_ERROR_SHARE = 0.01;

    /** Beyond the test's own length: wrk's start, its last requests' timeout, and a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NOT_OK = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** Requests completed per second, all connections together. */
    record Result(double perSecond, long requests, long failures) {
    }

    private final ChildPrograms programs;
    private final InstalledTools tools;

    WrkProbe(ChildPrograms programs, InstalledTools tools) {
        this.programs = programs;
        this.tools = tools;
    }

    /** Keep-alive requests with {@link #KEEP_ALIVE_CONNECTIONS} connections for {@code seconds}. */
    Result keepAlive(String label, int port, int seconds) throws IOException, InterruptedException {
        return run(label + "-wrk-keep-alive", port, KEEP_ALIVE_CONNECTIONS, false, seconds);
    }

    /** One new connection per request, {@link #CLOSING_CONNECTIONS} at a time, for {@code seconds}. */
    Result newConnections(String label, int port, int seconds) throws IOException, InterruptedException {
        return run(label + "-wrk-close", port, CLOSING_CONNECTIONS, true, seconds);
    }

    private Result run(String name, int port, int connections, boolean close, int seconds)
            throws IOException, InterruptedException {
        // One wrk thread per core: wrk is event-driven and one thread drives many connections.
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        List<String> command = new ArrayList<>(List.of(tools.wrk().toString(), "-t", Integer.toString(threads),
                "-c", Integer.toString(connections), "-d", seconds + "s", "--timeout", "10s"));
        if (close) {
            command.addAll(List.of("-H", "Connection: close"));
        }
        command.add("http://127.0.0.1:" + port + NginxTarget.PATH);
        ChildPrograms.Finished finished = programs.run(name, command, Duration.ofSeconds(seconds).plus(SLACK));
        return parse(finished);
    }

    /** The rate from wrk's report; an IOException when it failed or too many requests did. */
    static Result parse(ChildPrograms.Finished finished) throws IOException {
        String out = finished.stdout();
        Matcher rate = RATE.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        if (finished.status() != 0 || !rate.find() || !requests.find()) {
            throw new IOException("wrk exited with status " + finished.status() + " without a rate; see "
                    + finished.log() + " and its .out");
        }
        long failures = 0;
        Matcher errors = SOCKET_ERRORS.matcher(out);
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                failures += Long.parseLong(errors.group(group));
            }
        }
        Matcher notOk = NOT_OK.matcher(out);
        if (notOk.find()) {
            failures += Long.parseLong(notOk.group(1));
        }
        long completed = Long.parseLong(requests.group(1));
        if (completed == 0 || failures > MAX_ERROR_SHARE * completed) {
            throw new IOException("wrk: " + failures + " failed of " + completed + " requests; see " + finished.log()
                    + " and its .out");
        }
        return new Result(Double.parseDouble(rate.group(1)), completed, failures);
    }
}
