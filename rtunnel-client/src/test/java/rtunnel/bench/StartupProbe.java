package rtunnel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up as a user meets it: {@code bin/rtunnel_client} launched (the launcher, the JVM, the options, the
 * handshake) until it prints its "tunnel up" line, and its resident memory a moment later, idle with one
 * tunnel. Against an rtunnel server started by its own launcher. Unrecorded starts first, as a user's first
 * runs: they leave the launcher's class-data-sharing archive (Java 17 to 24: one start records it) or its
 * ahead-of-time cache (Java 25: one start records, the next has it assembled in the background), in a cache
 * directory of the run's own.
 */
final class StartupProbe {

    /** The "median of 10 starts". */
    static final int STARTS = 10;

    /** How long after its up line the client is left idle before its memory is read. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    /** Unrecorded starts at most before the launcher's cache is in place: Java 25's takes two. */
    static final int MAX_UNRECORDED = 4;

    private static final Pattern LISTENING = Pattern.compile("listening for clients on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HOST_KEY = Pattern.compile("host key (SHA256:\\S+)");

    /** The medians: seconds from launch to the up line, and MiB resident after it. */
    record Result(double seconds, double rssMib) {
    }

    private StartupProbe() {
    }

    /** Measures {@code starts} client starts of {@code mode} against a fresh server; files go to {@code work}. */
    static Result run(Path root, Path java, Side mode, int targetPort, int starts, Path work)
            throws IOException, InterruptedException {
        Path cache = Files.createDirectories(work.resolve("cds-cache"));
        List<String> serverCommand = new ArrayList<>(List.of(root.resolve("bin/rtunnel_server").toString(),
                "-c", "127.0.0.1:0", "--host-key", work.resolve("host_key").toString()));
        serverCommand.addAll(mode.programArgs);
        Process server = launch(serverCommand, java, cache, work.resolve("server.log"));
        try (BufferedReader out = reader(server)) {
            String listening = out.readLine();
            Matcher port = LISTENING.matcher(listening == null ? "" : listening);
            Matcher key = HOST_KEY.matcher(Files.readString(work.resolve("server.log")));
            if (!port.find() || !key.find()) {
                throw new IOException("the server did not start: " + Files.readString(work.resolve("server.log")));
            }
            List<String> client = new ArrayList<>(List.of(root.resolve("bin/rtunnel_client").toString(),
                    "-c", "127.0.0.1:" + port.group(1), "-f", "127.0.0.1:0", "-t", "127.0.0.1:" + targetPort,
                    "--server-fingerprint", key.group(1), "--no-reconnect"));
            client.addAll(mode.programArgs);
            List<Double> seconds = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            for (int i = 0; i < MAX_UNRECORDED && !cacheInPlace(cache); i++) {
                start(client, java, cache, work.resolve("client.log"));
            }
            for (int i = 0; i < starts; i++) {
                long[] figures = start(client, java, cache, work.resolve("client.log"));
                seconds.add(figures[0] / 1e9);
                rss.add(figures[1] / 1024.0);
            }
            return new Result(median(seconds), median(rss));
        } finally {
            server.destroy();
            if (!server.waitFor(TunnelProcesses.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * Whether the launcher's archive or cache is there for the next start to use, once a cache still being
     * assembled in the background (a {@code .claimed} file) is done; waits for that up to the start timeout.
     */
    private static boolean cacheInPlace(Path cache) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TunnelProcesses.START_TIMEOUT.toNanos();
        while (true) {
            List<String> names;
            try (var files = Files.list(cache)) {
                names = files.map(file -> file.getFileName().toString()).toList();
            }
            boolean assembling = names.stream().anyMatch(name -> name.endsWith(".claimed"));
            if (!assembling || System.nanoTime() - deadline > 0) {
                return !assembling && names.stream().anyMatch(name -> name.endsWith(".jsa") || name.endsWith(".aot"));
            }
            Thread.sleep(50); // Polling a directory for a file to go, with the deadline above.
        }
    }

    /** One start: nanoseconds from launch to the up line, and KiB resident after {@link #SETTLE}. */
    private static long[] start(List<String> command, Path java, Path cache, Path log)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process client = launch(command, java, cache, log);
        try (BufferedReader out = reader(client)) {
            String up = out.readLine();
            long elapsed = System.nanoTime() - started;
            if (up == null || !up.contains(" -> ")) {
                throw new IOException("the client did not come up: " + Files.readString(log));
            }
            Thread.sleep(SETTLE.toMillis()); // A measured idle time, not a wait for a condition.
            long rssKib = ProcessStats.of(client.pid()).rssKib();
            return new long[] {elapsed, rssKib};
        } finally {
            // SIGTERM, as a user stops it: the first start's JVM writes its class-data archive on the way out.
            client.destroy();
            if (!client.waitFor(TunnelProcesses.START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
        }
    }

    /** A launcher with the benchmark's Java, the run's own CDS cache, the launchers' default JVM options. */
    private static Process launch(List<String> command, Path java, Path cache, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().remove("RTUNNEL_JAVA_OPTS");
        builder.environment().remove("RTUNNEL_CLASSPATH");
        builder.environment().put("JAVA_HOME", java.getParent().getParent().toString());
        builder.environment().put("RTUNNEL_CACHE_DIR", cache.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
