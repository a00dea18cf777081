package rtunnel.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl (skipping the test when it is missing), with a deadline, and returns what it printed. */
final class Curl {

    static final Path CURL = Path.of("/usr/bin/curl");

    /** curl's own limit, below the test's: a hang shows as curl's timeout, not a stuck test. */
    private static final int MAX_SECONDS = 15;

    private Curl() {
    }

    /** What curl printed on stdout and its exit code. */
    record Result(int exitCode, String out) {
    }

    /** Runs {@code curl -sS --max-time 15 ARGS...}. */
    static Result run(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(CURL), CURL + " is missing (apt-get install curl)");
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--max-time",
                Integer.toString(MAX_SECONDS)));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = curl.getInputStream().readAllBytes();
        if (!curl.waitFor(MAX_SECONDS + 5, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new AssertionError("curl did not end: " + command);
        }
        return new Result(curl.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** {@code --resolve NAME:PORT:127.0.0.1}: curl reaches {@code name} on loopback without DNS. */
    static String resolve(String name, int port) {
        return name + ":" + port + ":127.0.0.1";
    }
}
