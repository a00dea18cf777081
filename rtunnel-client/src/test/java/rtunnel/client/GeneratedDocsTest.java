package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import rtunnel.cli.DocFiles;

/**
 * The committed completion scripts and man pages are what the annotations make now. After changing an
 * option, regenerate them with {@link #REGENERATE}: with {@code -Drtunnel.writeDocs=true} this test writes
 * the files before it compares them.
 */
class GeneratedDocsTest {

    /** The command docs/scripting.md gives for regenerating the files. */
    static final String REGENERATE = "mvn -q install -DskipTests && mvn test -pl rtunnel-client "
            + "-Dtest=GeneratedDocsTest -Drtunnel.writeDocs=true";

    @Test
    void theCommittedCompletionScriptsAndManPagesMatchTheAnnotations() throws Exception {
        if (Boolean.getBoolean("rtunnel.writeDocs")) {
            GeneratedDocs.write();
        }
        for (Map.Entry<String, String> file : GeneratedDocs.generate().entrySet()) {
            String committed = DocFiles.read(file.getKey());
            assertEquals(file.getValue(), committed, file.getKey() + " differs from the annotations at line "
                    + firstDifference(file.getValue(), committed) + "; regenerate it: " + REGENERATE);
        }
    }

    @Test
    void theScriptingGuideGivesTheCommandThatRegeneratesThem() {
        DocFiles.assertScriptingShows("```sh\n" + REGENERATE + "\n```");
    }

    private static int firstDifference(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] have = actual.split("\n", -1);
        for (int i = 0; i < Math.min(want.length, have.length); i++) {
            if (!want[i].equals(have[i])) {
                return i + 1;
            }
        }
        return Math.min(want.length, have.length) + 1;
    }
}
