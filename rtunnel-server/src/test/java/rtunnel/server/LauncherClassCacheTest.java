package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.Await;

/**
 * How the launcher keeps what makes the next start faster, start after start, in a release layout (bin/ and
 * lib/) with a stand-in Java: a script that says which Java it is in its {@code release} file, writes down the
 * options it was given, and writes the files a real JVM would write for them. Java 17 records a
 * class-data-sharing archive and maps it; Java 25 records an ahead-of-time configuration, has it assembled into
 * a cache in the background, and then uses the cache. (ReleaseArchiveTest runs the real Java on the release.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherClassCacheTest {

    private static final Path ENV = Path.of("/usr/bin/env");
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * A java that appends its options to {@code options.log}, one line per run, and plays the JVM's part: the
     * recording as it exits (marked as the program marks it once connected), the cache when asked to create it.
     */
    private static final String FAKE_JAVA = """
            #!/bin/bash
            echo "$*" >>"$(dirname "$0")/../options.log"
            for option in "$@"; do
                case "$option" in
                    -XX:ArchiveClassesAtExit=*) recording=${option#*=} ;;
                    -XX:AOTConfiguration=*) configuration=${option#*=} ;;
                    -XX:AOTCache=*) cache=${option#*=} ;;
                    -XX:AOTMode=create) create=yes ;;
                esac
            done
            if [[ -n "${create:-}" ]]; then
                [[ -s "$configuration" ]] && echo assembled >"$cache"
            elif [[ -n "${configuration:-}" ]]; then
                echo configuration >"$configuration" && touch "$configuration.ready"
            elif [[ -n "${recording:-}" ]]; then
                echo archive >"$recording" && touch "$recording.ready"
            fi
            """;

    @TempDir
    Path directory;

    @Test
    void java17RecordsAnArchiveOnceAndMapsItFromTheNextStart() throws Exception {
        Path launcher = release("17.0.15");

        String first = start(launcher);
        String second = start(launcher);

        assertTrue(first.contains("-XX:ArchiveClassesAtExit=" + cache() + "/rtunnel_server-"), first);
        assertTrue(second.matches(".*-XX:SharedArchiveFile=" + cache() + "/rtunnel_server-\\d+\\.jsa .*"), second);
        assertEquals(List.of(".jsa"), suffixes());
    }

    @Test
    void java25RecordsOnceHasTheCacheAssembledInTheBackgroundAndThenUsesIt() throws Exception {
        Path launcher = release("25.0.3");

        String first = start(launcher);
        String second = start(launcher);
        Await.until("the cache assembled in the background", WAIT, () -> suffixes().equals(List.of(".aot")));
        String third = start(launcher);

        assertTrue(first.contains("-XX:AOTMode=record -XX:AOTConfiguration=" + cache() + "/rtunnel_server-"), first);
        assertTrue(first.contains("-XX:-DisplayVMOutput"), "the JVM's own line on exit is kept off stdout: " + first);
        assertFalse(second.contains("-XX:AOT"), "the start that claims the recording runs without: " + second);
        assertTrue(third.matches(".*-XX:AOTCache=" + cache() + "/rtunnel_server-\\d+\\.aot .*"), third);
        List<String> runs = Files.readAllLines(directory.resolve("jdk/options.log"));
        assertEquals(4, runs.size(), "three starts and one assembly: " + runs);
        assertTrue(runs.stream().anyMatch(run -> run.contains("-XX:AOTMode=create")), runs.toString());
    }

    @Test
    void helpAndTheVersionNeitherRecordNorUseACache() throws Exception {
        Path launcher = release("25.0.3");

        String version = start(launcher, "--version");

        assertFalse(version.contains("-XX:AOT") || version.contains("Archive"), version);
        assertFalse(Files.exists(cache()), "nothing written");
    }

    /** A release layout whose launcher runs a stand-in for Java {@code javaVersion}; returns the launcher. */
    private Path release(String javaVersion) throws IOException {
        Path bin = Files.createDirectories(directory.resolve("release/bin"));
        Path launcher = Files.copy(RunningProgram.launcher("rtunnel_server"), bin.resolve("rtunnel_server"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(Files.createDirectories(directory.resolve("release/lib")).resolve("rtunnel_server.jar"),
                "a jar");
        Path jdk = Files.createDirectories(directory.resolve("jdk/bin"));
        Files.writeString(directory.resolve("jdk/release"), "IMPLEMENTOR=\"stand-in\"\nJAVA_VERSION=\"" + javaVersion
                + "\"\n");
        Path java = Files.writeString(jdk.resolve("java"), FAKE_JAVA);
        assertTrue(java.toFile().setExecutable(true));
        return launcher;
    }

    /**
     * Runs the launcher to its end, as the stand-in Java does at once, the way a user would: the jar, not the
     * tests' classes, and the launcher's own JVM options. Returns the options that start's Java got.
     */
    private String start(Path launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("-u", "RTUNNEL_CLASSPATH", "-u", "RTUNNEL_JAVA_OPTS",
                "JAVA_HOME=" + directory.resolve("jdk"), "RTUNNEL_CACHE_DIR=" + cache(), launcher.toString()));
        command.addAll(List.of(args));
        Path log = directory.resolve("jdk/options.log");
        int before = Files.exists(log) ? Files.readAllLines(log).size() : 0;
        try (RunningProgram program = RunningProgram.start(ENV, directory, command.toArray(String[]::new))) {
            assertEquals(ExitCodes.OK, program.awaitExit(), program.stderr());
            assertEquals("", program.stderr());
        }
        // A cache assembled in the background may have written its line first.
        return Files.readAllLines(log).stream().skip(before).filter(run -> !run.contains("-XX:AOTMode=create"))
                .findFirst().orElseThrow(() -> new AssertionError("Java did not run"));
    }

    private Path cache() {
        return directory.resolve("cache");
    }

    /** How each file in the cache ends ({@code .jsa}, {@code .aot}, {@code .recording}...), sorted. */
    private List<String> suffixes() {
        if (!Files.isDirectory(cache())) {
            return List.of();
        }
        try (var files = Files.list(cache())) {
            return files.map(file -> file.getFileName().toString().replaceFirst("^.*(\\.[a-z]+)$", "$1")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + cache(), e);
        }
    }
}
