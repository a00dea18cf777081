package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.DocFiles;

/**
 * The guide's completion and man page commands, run from the repository's root in the shells they are for.
 * zsh and man are not on every machine: without them, their test is skipped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionAndManPageTest {

    @Test
    void bashCompletesTheFlagsAndTheLogLevels() throws Exception {
        String setup = "source docs/completion/rtunnel_server.bash\nsource docs/completion/rtunnel_client.bash";
        DocFiles.assertScriptingShows("```sh\n" + setup + "\n```");

        String said = run(Map.of(), "bash", "-c", setup + "\n"
                + "COMP_WORDS=(rtunnel_client --control-a); COMP_CWORD=1; _complete_rtunnel_client\n"
                + "echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(rtunnel_server -l ''); COMP_CWORD=2; _complete_rtunnel_server\n"
                + "echo \"${COMPREPLY[*]}\"\n");

        assertEquals("--control-address\ndebug info warn error\n", said);
    }

    @Test
    void zshLoadsTheBashScriptThroughBashcompinit(@TempDir Path home) throws Exception {
        assumeTrue(installed("zsh"), "zsh is not installed");
        String setup = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                + "source docs/completion/rtunnel_client.bash";
        DocFiles.assertScriptingShows("```sh\n" + setup + "\n```");

        // compinit keeps its cache in $HOME; bashcompinit's compgen runs the bash function as bash would.
        String said = run(Map.of("HOME", home.toString()), "zsh", "-f", "-c", setup + "\n"
                + "print -r -- $_comps[rtunnel_client]\n"
                + "COMP_WORDS=(rtunnel_client -l ''); COMP_CWORD=2; words=($COMP_WORDS); CURRENT=3\n"
                + "compgen -F _complete_rtunnel_client -- ''\n");

        assertEquals("_bash_complete -F _complete_rtunnel_client -o default\ndebug\ninfo\nwarn\nerror\n", said);
    }

    @Test
    void manShowsBothPagesWithTheirVariables() throws Exception {
        assumeTrue(installed("man"), "man is not installed");
        String server = "man -l docs/man/rtunnel_server.1";
        String client = "man -l docs/man/rtunnel_client.1";
        DocFiles.assertScriptingShows("```sh\n" + server + "\n" + client + "\n```");

        Map<String, String> plain = Map.of("MANPAGER", "cat", "MANWIDTH", "100", "LC_ALL", "C.UTF-8");
        String serverPage = run(plain, "sh", "-c", server);
        String clientPage = run(plain, "sh", "-c", client);

        assertTrue(serverPage.contains("RTUNNEL_CONTROL\n") && serverPage.contains("EXIT STATUS"), serverPage);
        assertTrue(clientPage.contains("RTUNNEL_CONTROL_ADDRESS\n") && clientPage.contains("RTUNNEL_KEY_PASSPHRASE"),
                clientPage);
    }

    private static boolean installed(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /** Runs {@code command} in the repository's root; returns its stdout, and fails on a non-zero status. */
    private static String run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(DocFiles.resolve(".").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        // bash's compopt complains outside a real completion: stderr is read (so it cannot block) and shown on failure.
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " still running");
        assertEquals(0, process.exitValue(), stderr.get());
        return stdout.get(30, TimeUnit.SECONDS);
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
