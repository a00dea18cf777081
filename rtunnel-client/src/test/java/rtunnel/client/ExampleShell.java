package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rtunnel.cli.ConsoleStep;

/**
 * The shell commands of the examples that are not rtunnel's: the ones that can run here run with bash in
 * the document's {@link ExampleStage} (ssh-keygen, ssh-agent, mkdir and cat on the "VPS", curl through a
 * tunnel an earlier example opened), and the output a document shows for one must have the shapes it
 * printed. {@code scp} has a stand-in: the stage's laptop and VPS share one home, so the file is copied there.
 */
final class ExampleShell {

    private static final Set<String> RUNNABLE = Set.of("ssh-keygen", "ssh-add", "eval", "mkdir", "cat", "curl");
    private static final Pattern URL = Pattern.compile("http://[^/:\\s]+:(\\d+)");

    private final ExampleStage stage;

    ExampleShell(ExampleStage stage) {
        this.stage = stage;
    }

    void run(String where, ConsoleStep step) throws Exception {
        if (step.program().equals("scp")) {
            copyToTheVps(step);
            return;
        }
        if (!RUNNABLE.contains(step.program())) {
            fail(where + ": no test runs or checks this example; make it runnable here, or add it to "
                    + "DocAllowList with the reason: " + step.command());
        }
        String command = step.command();
        if (step.program().equals("curl")) {
            Matcher url = URL.matcher(command);
            if (!url.find()) {
                fail(where + ": a curl example without http://HOST:PORT: " + command);
            }
            String port = stage.standIns.get(url.group(1));
            if (port == null) {
                fail(where + ": no earlier example of this document opened public port " + url.group(1));
            }
            command = "curl -fsS --max-time 20 http://127.0.0.1:" + port + command.substring(url.end());
        }
        ExampleStage.ShellResult result = stage.sh(command);
        assertEquals(0, result.status(), where + ": " + command + " exited " + result.status() + ": "
                + result.output());
        if (!step.output().isEmpty()) {
            List<String> shown = new ArrayList<>(step.output().stream().map(OutputShape::of).toList());
            List<String> printed = result.output().stream().map(OutputShape::of).toList();
            assertEquals(shown, printed, where + ": " + command + " printed " + result.output());
        }
    }

    private void copyToTheVps(ConsoleStep step) throws Exception {
        Path from = Path.of(stage.expandHome(step.args().get(0)));
        Files.copy(from, stage.home.resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
