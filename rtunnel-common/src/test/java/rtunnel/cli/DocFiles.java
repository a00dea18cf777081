package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
