package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.policy.PortRange;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;

/**
 * The release archive, {@code target/rtunnel-VERSION.tar.gz}, unpacked elsewhere: its launchers run the jars in
 * its {@code lib/} with no Maven to be found. Skipped until {@code mvn package} has built the archive, since
 * the tests run before the package phase.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReleaseArchiveTest {

    /** Long enough for a JVM to start on a busy two-core machine. */
    private static final long DEADLINE_SECONDS = 30;

    /** All that the launchers call on their release path (and env, by absolute path, for the #! line). */
    private static final List<String> LAUNCHER_TOOLS = List.of("bash", "readlink", "mkdir", "stat", "cksum", "mv",
            "rm", "find");

    @TempDir
    Path temp;

    private String version;
    private Path release;

    @BeforeEach
    void unpackTheArchive() throws Exception {
        version = System.getProperty("rtunnel.version");
        assumeTrue(version != null, "rtunnel.version is not set: run by Maven, which sets it");
        Path archive = Path.of("target", "rtunnel-" + version + ".tar.gz").toAbsolutePath();
        assumeTrue(Files.isRegularFile(archive), archive + " is not built yet: mvn package builds it");

        Path unpacked = Files.createDirectory(temp.resolve("unpacked"));
        Ran tar = run(List.of("tar", "-xzf", archive.toString(), "-C", unpacked.toString()), System.getenv());
        assertEquals(0, tar.status(), tar.stderr());
        release = unpacked.resolve("rtunnel-" + version);
    }

    @Test
    void holdsTheLaunchersTheJarsTheDocsTheReadmeAndTheLicense() {
        for (String launcher : List.of("bin/rtunnel_server", "bin/rtunnel_client")) {
            assertTrue(Files.isExecutable(release.resolve(launcher)), launcher);
        }
        for (String file : List.of("lib/rtunnel_server.jar", "lib/rtunnel_client.jar", "docs/usage.md",
                "README.md", "LICENSE")) {
            assertTrue(Files.isRegularFile(release.resolve(file)), file);
        }
    }

    @Test
    void theServerLauncherRunsItsJarWithoutMaven() throws Exception {
        assertPrintsItsVersion("rtunnel_server");
    }

    @Test
    void theClientLauncherRunsItsJarWithoutMaven() throws Exception {
        assertPrintsItsVersion("rtunnel_client");
    }

    /**
     * A run that reaches its first connection records a class-data-sharing archive under a name of its own as
     * it exits, and marks it; the next start adopts and maps it. A run that got less far (an unreachable
     * server) leaves nothing the next start keeps, help and the version touch nothing, and a damaged archive
     * is passed over. None of this shows in the output.
     */
    @Test
    void theClientLauncherRecordsItsClassDataArchiveOnceItConnectedAndThenUsesIt() throws Exception {
        Path cache = temp.resolve(".cache/rtunnel");
        List<String> unreachable = client("127.0.0.1:1", "SHA256:" + "A".repeat(43));
        assertPrintsItsVersion("rtunnel_client");
        assertFalse(Files.exists(cache), "the version alone touches nothing");
        assertEquals(3, run(unreachable, withoutMaven()).status());
        List<Path> first = files(cache);
        assertEquals(List.of(".recording"), suffixes(cache), "recorded, not marked");
        assertEquals(3, run(unreachable, withoutMaven()).status());
        assertEquals(List.of(".recording"), suffixes(cache), "recorded again");
        assertNotEquals(first, files(cache), "the unmarked recording was dropped");

        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            connectAndStop(server, withoutMaven());
        }
        assertEquals(List.of(".ready", ".recording"), suffixes(cache), "recorded and marked");
        Map<String, String> logging = new HashMap<>(withoutMaven());
        logging.put("RTUNNEL_JAVA_OPTS", "-Xlog:cds=info");
        Ran mapped = run(unreachable, logging);
        assertEquals(List.of(".jsa"), suffixes(cache), "adopted by the next start");
        Path archive = files(cache).get(0);
        assertTrue(mapped.stdout().contains("Opened archive " + archive), mapped.stdout());
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));
        Files.write(archive, new byte[4096]);
        Ran damaged = run(unreachable, withoutMaven());
        assertEquals(3, damaged.status(), damaged.stderr());
        assertEquals("", damaged.stdout());
    }

    /**
     * On Java 25 and later the launcher keeps an ahead-of-time cache instead: the first connected run records,
     * the next claims the recording and has it assembled in the background, the ones after use the cache. None
     * of it shows in the output. Runs when a JDK 25 or later is installed beside this test's Java.
     */
    @Test
    void onJava25TheClientLauncherRecordsAnAheadOfTimeCacheAndThenUsesIt() throws Exception {
        Path java25 = newerJava(25);
        assumeTrue(java25 != null, "no JDK 25 or later in " + Path.of(System.getProperty("java.home")).getParent());
        Map<String, String> environment = new HashMap<>(withoutMaven());
        environment.put("JAVA_HOME", java25.toString());
        Path cache = temp.resolve(".cache/rtunnel");
        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            connectAndStop(server, environment);
            assertEquals(List.of(".ready", ".recording"), suffixes(cache), "recorded and marked");
            connectAndStop(server, environment);
            Await.until("the cache assembled in the background", Duration.ofSeconds(DEADLINE_SECONDS),
                    () -> Files.isDirectory(cache) && cache.toFile().list().length == 1
                            && cache.toFile().list()[0].endsWith(".aot"));
            Path aot = files(cache).get(0);
            environment.put("RTUNNEL_JAVA_OPTS", "-XX:+UseSerialGC -Xmn16m -XX:StackShadowPages=10 -Xlog:aot=info");
            List<String> logged = connectAndStop(server, environment);
            assertTrue(logged.stream().anyMatch(line -> line.contains("Opened AOT cache " + aot)),
                    logged.toString());
        }
    }

    /** A JDK of version {@code major} or later installed beside this test's, or null. */
    private static Path newerJava(int major) throws IOException {
        Path jvms = Path.of(System.getProperty("java.home")).toRealPath().getParent();
        try (var homes = Files.list(jvms)) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(release)) {
                    Matcher version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                    if (version.find() && Integer.parseInt(version.group(1)) >= major) {
                        return home;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Runs the release's client against {@code server} until its up line, then stops it as a user does
     * (SIGTERM); returns every line it printed, which must hold nothing but that line unless logging is asked.
     */
    private List<String> connectAndStop(TunnelServer server, Map<String, String> environment) throws Exception {
        Path err = Files.createTempFile(temp, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(client("127.0.0.1:" + server.controlAddress().getPort(),
                server.hostKeyFingerprint())).directory(temp.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process connected = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(connected.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                if (line.startsWith("rtunnel_client: 127.0.0.1:")) {
                    // SIGTERM through the handle: Process.destroy would also close the stream read here.
                    connected.toHandle().destroy();
                }
            }
            assertTrue(connected.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), "the client did not stop");
            assertTrue(lines.stream().anyMatch(line -> line.contains(" -> 127.0.0.1:9")), lines.toString());
            if (!environment.containsKey("RTUNNEL_JAVA_OPTS")) {
                assertEquals(1, lines.size(), "stdout: " + lines);
                assertEquals("", Files.readString(err), "stderr");
            }
            return lines;
        } finally {
            connected.destroyForcibly();
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    /** The release's client asking for one tunnel of {@code server}, pinned to {@code fingerprint}. */
    private List<String> client(String server, String fingerprint) {
        return List.of(release.resolve("bin/rtunnel_client").toString(), "-c", server, "-f", "127.0.0.1:0",
                "-t", "127.0.0.1:9", "--no-reconnect", "--server-fingerprint", fingerprint);
    }

    /** How each file in {@code directory} ends: {@code .jsa}, or {@code .recording} while not yet adopted. */
    private static List<String> suffixes(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString().replaceFirst("^.*(\\.[a-z]+)$", "$1")).sorted()
                    .toList();
        }
    }

    private void assertPrintsItsVersion(String program) throws Exception {
        Ran ran = run(List.of(release.resolve("bin").resolve(program).toString(), "--version"), withoutMaven());

        assertEquals(0, ran.status(), ran.stderr());
        assertEquals(program + " " + version + " (Java " + System.getProperty("java.version") + ")\n", ran.stdout());
        assertEquals("", ran.stderr());
    }

    /**
     * An environment in which mvn cannot be found: PATH is one directory that holds the launchers' own tools
     * only, JAVA_HOME is this test's Java, and no RTUNNEL_ variable (RTUNNEL_CLASSPATH would skip the jar).
     */
    private Map<String, String> withoutMaven() throws IOException {
        Path tools = Files.createDirectories(temp.resolve("tools"));
        for (String tool : LAUNCHER_TOOLS) {
            // A script, not a symbolic link, which JUnit would warn about when it deletes the temp directory.
            Path script = Files.writeString(tools.resolve(tool),
                    "#!/bin/sh\nexec '" + onPath(tool) + "' \"$@\"\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Map.of("PATH", tools.toString(), "JAVA_HOME", System.getProperty("java.home"),
                "HOME", temp.toString(), "LANG", "C");
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(tool + " is not on PATH, and the launchers need it");
    }

    /** Runs {@code command} in the temp directory with exactly {@code environment}, within the deadline. */
    private Ran run(List<String> command, Map<String, String> environment) throws Exception {
        Path out = Files.createTempFile(temp, "stdout", ".txt");
        Path err = Files.createTempFile(temp, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS),
                    String.join(" ", command) + " still running after " + DEADLINE_SECONDS + " s");
            return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** What a finished command left: its status and everything it printed. */
    private record Ran(int status, String stdout, String stderr) {
    }
}
