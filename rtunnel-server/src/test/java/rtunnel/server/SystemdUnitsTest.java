package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.DocFiles;
import rtunnel.cli.RunningProgram;

/**
 * The systemd units docs/operations.md shows stay valid: each {@code ```ini} block is written under the
 * file name the line before it gives, its ExecStart pointed at this repository's launcher, and checked with
 * {@code systemd-analyze verify}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SystemdUnitsTest {

    private static final String OPERATIONS = "docs/operations.md";

    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    /** How long one verify may take: it loads the unit and its dependencies, nothing more. */
    private static final long VERIFY_SECONDS = 60;

    /** A unit file's name in backquotes, as in {@code `/etc/systemd/system/rtunnel-server.service`:}. */
    private static final Pattern UNIT_NAME = Pattern.compile("([\\w@.-]+\\.(?:service|socket|timer|path))`");

    /** The program of an ExecStart line, after systemd's optional prefixes ({@code -}, {@code @}, ...). */
    private static final Pattern EXEC_START = Pattern.compile("(?m)^(ExecStart=[-@:+!]*)(\\S+)");

    /** A unit file the document shows: its name, its text, and the document line its block starts on. */
    record UnitFile(String name, String text, int line) {
    }

    @Test
    void findsEachUnitUnderTheNameOnTheLineBeforeIt() {
        String markdown = "Intro.\n\n`/etc/systemd/system/a.service`:\n\n```ini\n[Service]\n"
                + "ExecStart=/x/rtunnel_server\n```\n\n```sh\nnot a unit\n```\n\n`b.timer`:\n```ini\n"
                + "[Timer]\nOnCalendar=daily\n```\n";

        assertEquals(List.of(new UnitFile("a.service", "[Service]\nExecStart=/x/rtunnel_server\n", 5),
                new UnitFile("b.timer", "[Timer]\nOnCalendar=daily\n", 15)), unitFiles(markdown));
    }

    @Test
    void pointsExecStartAtTheRepositorysLauncher() {
        String unit = "[Service]\nExecStart=-/opt/rtunnel/bin/rtunnel_client \\\n    -c myserver.com\n";

        String expected = "[Service]\nExecStart=-" + RunningProgram.launcher("rtunnel_client")
                + " \\\n    -c myserver.com\n";
        assertEquals(expected, withLocalLaunchers(new UnitFile("c.service", unit, 1)));
    }

    @Test
    void operationsShowsAServerAndAClientUnit() {
        List<String> names = unitFiles(DocFiles.read(OPERATIONS)).stream().map(UnitFile::name).toList();

        assertTrue(names.contains("rtunnel-server.service") && names.contains("rtunnel-client.service"),
                OPERATIONS + " shows the units " + names);
    }

    @Test
    void everyUnitInOperationsPassesSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), SYSTEMD_ANALYZE + " is not installed");

        for (UnitFile unit : unitFiles(DocFiles.read(OPERATIONS))) {
            Path file = Files.writeString(dir.resolve(unit.name()), withLocalLaunchers(unit));

            List<String> output = new ArrayList<>();
            int status = verify(file, output);

            // Other units on this machine may draw warnings too: only the lines about this one count.
            List<String> aboutUnit = output.stream().filter(line -> line.contains(unit.name())).toList();
            String where = OPERATIONS + ":" + unit.line() + " (" + unit.name() + "): ";
            assertEquals(List.of(), aboutUnit, where + "systemd-analyze verify says");
            assertEquals(0, status, where + "systemd-analyze verify exited " + status + ":\n"
                    + String.join("\n", output));
        }
    }

    /** The {@code ```ini} blocks of {@code markdown}, each named by the last non-blank line before it. */
    static List<UnitFile> unitFiles(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<UnitFile> units = new ArrayList<>();
        String before = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                int end = closingFence(lines, i);
                if (line.startsWith("```ini")) {
                    Matcher name = UNIT_NAME.matcher(before);
                    if (!name.find()) {
                        throw new AssertionError("line " + (i + 1) + ": a ```ini block without its unit file's "
                                + "name (e.g. `/etc/systemd/system/NAME.service`:) on the line before it");
                    }
                    String text = String.join("\n", lines.subList(i + 1, end)) + "\n";
                    units.add(new UnitFile(name.group(1), text, i + 1));
                }
                // Any other block names no unit.
                before = "";
                i = end;
            } else if (!line.isBlank()) {
                before = line;
            }
        }
        return units;
    }

    /** The index of the fence that closes the block opened at {@code open} (the end, if none does). */
    private static int closingFence(List<String> lines, int open) {
        int end = open + 1;
        while (end < lines.size() && !lines.get(end).startsWith("```")) {
            end++;
        }
        return end;
    }

    /** The unit with each ExecStart running this repository's launcher of the same name (bin/rtunnel_server). */
    static String withLocalLaunchers(UnitFile unit) {
        Matcher exec = EXEC_START.matcher(unit.text());
        StringBuilder text = new StringBuilder();
        while (exec.find()) {
            String program = Path.of(exec.group(2)).getFileName().toString();
            assertTrue(program.equals("rtunnel_server") || program.equals("rtunnel_client"), OPERATIONS + ":"
                    + unit.line() + " (" + unit.name() + "): ExecStart runs " + exec.group(2)
                    + ", not an rtunnel launcher");
            exec.appendReplacement(text, Matcher.quoteReplacement(exec.group(1) + RunningProgram.launcher(program)));
        }
        exec.appendTail(text);
        return text.toString();
    }

    /** Runs {@code systemd-analyze verify --man=no file}, adding its output lines to {@code output}. */
    private static int verify(Path file, List<String> output) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", file.toString())
                .redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            // Read to the end first: the process cannot exit while its output pipe is full.
            byte[] printed = process.getInputStream().readAllBytes();
            output.addAll(new String(printed, StandardCharsets.UTF_8).lines().toList());
            assertTrue(process.waitFor(VERIFY_SECONDS, TimeUnit.SECONDS), "systemd-analyze verify " + file + " hung");
            return process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }
}
