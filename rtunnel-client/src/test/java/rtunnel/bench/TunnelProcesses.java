package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An rtunnel server and client, each in its own process, in one frame protection mode, with one tunnel per
 * target port.
 */
final class TunnelProcesses implements TunnelPair {

    /** A cold JVM on a busy 2-core machine can take several seconds to start and connect. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern SERVER_READY =
            Pattern.compile("rtunnel_server: listening for clients on 127\\.0\\.0\\.1:(\\d+)");
    /** The server says its host key's fingerprint on stderr, which goes to its log file. */
    private static final Pattern HOST_KEY = Pattern.compile("rtunnel_server: host key (SHA256:\\S+)");

    private static final Pattern TUNNEL_UP =
            Pattern.compile("rtunnel_client: 127\\.0\\.0\\.1:(\\d+) -> 127\\.0\\.0\\.1:(\\d+)");

    private final ChildPrograms programs;
    private final ChildProgram server;
    private final ChildProgram client;
    private final Map<Integer, Integer> publicPortByTarget;

    private TunnelProcesses(ChildPrograms programs, ChildProgram server, ChildProgram client,
            Map<Integer, Integer> publicPortByTarget) {
        this.programs = programs;
        this.server = server;
        this.client = client;
        this.publicPortByTarget = publicPortByTarget;
    }

    /** Starts the server, then the client, both in {@code mode}, and returns once every tunnel is up. */
    static TunnelProcesses start(ChildPrograms programs, ProgramCommands commands, Side mode, String label,
            List<Integer> targetPorts) throws IOException, InterruptedException {
        String name = label + "-" + mode.key();
        ChildProgram server = programs.start(name + "-server", commands.server(mode));
        ChildProgram client = null;
        try {
            int controlPort = Integer.parseInt(server.awaitLine(SERVER_READY, START_TIMEOUT).group(1));
            String fingerprint = server.awaitLogLines(HOST_KEY, 1, START_TIMEOUT).get(0).group(1);
            client = programs.start(name + "-client", commands.client(mode, controlPort, targetPorts, fingerprint));
            Map<Integer, Integer> ports = new HashMap<>();
            while (ports.size() < targetPorts.size()) {
                Matcher up = client.awaitLine(TUNNEL_UP, START_TIMEOUT);
                ports.put(Integer.parseInt(up.group(2)), Integer.parseInt(up.group(1)));
            }
            return new TunnelProcesses(programs, server, client, ports);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (client != null) {
                programs.stop(client);
            }
            programs.stop(server);
            throw e;
        }
    }

    @Override
    public boolean eitherExitedWithin(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.anyOf(server.onExit(), client.onExit()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public int publicPort(int targetPort) {
        Integer port = publicPortByTarget.get(targetPort);
        if (port == null) {
            throw new IllegalArgumentException("no tunnel to port " + targetPort);
        }
        return port;
    }

    @Override
    public ProcessStats serverStats() throws IOException {
        return stats(server);
    }

    @Override
    public ProcessStats clientStats() throws IOException {
        return stats(client);
    }

    /** The figures of a running {@code program} and of any process it started. */
    static ProcessStats stats(ChildProgram program) throws IOException {
        if (!program.alive()) {
            throw new IOException(program.name() + " is no longer running");
        }
        return ProcessStats.ofTree(program.pid());
    }

    @Override
    public void close() {
        try {
            programs.stop(client);
        } finally {
            programs.stop(server);
        }
    }
}
