package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The repository's documentation, for tests that keep it true: a test runs an example and then checks that
 * the document shows that example verbatim, so neither can change without the other.
 */
public final class DocFiles {

    /** The guide whose every example a test runs. */
    public static final String SCRIPTING = "docs/scripting.md";

    private DocFiles() {
    }

    /** {@code relative} (like {@code docs/scripting.md}) in the repository that holds the working directory. */
    public static Path resolve(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no docs/ beside a pom.xml above " + Path.of("").toAbsolutePath());
    }

    /** The text of {@code relative}, or "" when it does not exist yet. */
    public static String read(String relative) {
        Path file = resolve(relative);
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless {@link #SCRIPTING} contains {@code example} exactly. */
    public static void assertScriptingShows(String example) {
        assertTrue(read(SCRIPTING).contains(example), SCRIPTING + " does not show this example:\n" + example);
    }

    /**
     * Checks that the scripting guide's table between {@code fromHeading} and {@code toHeading} lists the
     * variable of every option of {@code command} (and nothing more), and that no two options share one.
     */
    public static void assertGuideListsEveryVariable(CommandSpec command, String fromHeading, String toHeading) {
        String guide = read(SCRIPTING);
        String table = guide.substring(guide.indexOf(fromHeading), guide.indexOf(toHeading));
        Set<String> variables = new HashSet<>();
        List<String> rows = new ArrayList<>();
        for (OptionSpec option : command.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String variable = OptionEnvironment.variableFor(option.longestName());
            assertFalse(OptionEnvironment.RESERVED.contains(variable), variable);
            assertTrue(variables.add(variable), variable);
            rows.add("| `" + variable + "` | `" + option.longestName() + "`");
        }
        for (String row : rows) {
            assertTrue(table.contains(row), row + " in\n" + table);
        }
        assertEquals(rows.size(), table.lines().filter(line -> line.startsWith("| `RTUNNEL_")).count(), table);
    }
}
