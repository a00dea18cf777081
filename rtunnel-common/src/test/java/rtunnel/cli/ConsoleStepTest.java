package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a document's fenced blocks become commands and their shown output. */
class ConsoleStepTest {

    @Test
    void findsEachFencedBlockWithItsLineAndInfoAndUnindentsAnIndentedOne() {
        String markdown = "Intro.\n\n```sh\nrtunnel_server\n```\n\n- item:\n\n  ```\n  a line\n  ```\n";

        assertEquals(List.of(new FencedBlock("d.md", 3, "sh", List.of("rtunnel_server")),
                new FencedBlock("d.md", 9, "", List.of("a line"))), FencedBlock.parse("d.md", markdown));
    }

    @Test
    void aPromptedLineIsACommandAndTheLinesUnderItAreItsOutput() {
        FencedBlock block = new FencedBlock("d.md", 10, "", List.of("vps$ rtunnel_client -c a \\",
                "      -f 4000 -t 3000", "rtunnel_client: a:4000 -> localhost:3000", "", "$ RTUNNEL_X=1 rtunnel_server"));

        List<ConsoleStep> steps = ConsoleStep.of(block);

        assertEquals(new ConsoleStep(11, "vps", "rtunnel_client -c a  -f 4000 -t 3000", Map.of(),
                List.of("rtunnel_client", "-c", "a", "-f", "4000", "-t", "3000"),
                List.of("rtunnel_client: a:4000 -> localhost:3000")), steps.get(0));
        assertEquals(Map.of("RTUNNEL_X", "1"), steps.get(1).environment());
        assertEquals(15, steps.get(1).line());
    }

    @Test
    void withoutPromptsCommandsAndOutputAreToldApartByTheirFirstWord() {
        FencedBlock block = new FencedBlock("d.md", 1, "", List.of("rtunnel_server -c '*:19050'   # a comment",
                "rtunnel_server: listening for clients on 0.0.0.0:19050", "A=1"));

        List<ConsoleStep> steps = ConsoleStep.of(block);

        assertEquals(List.of("rtunnel_server", "-c", "*:19050"), steps.get(0).words());
        assertEquals(List.of("rtunnel_server: listening for clients on 0.0.0.0:19050"), steps.get(0).output());
        assertEquals(List.of(), steps.get(1).words());
        assertEquals(Map.of("A", "1"), steps.get(1).environment());
    }

    @Test
    void outputOnItsOwnIsAStepWithoutACommand() {
        ConsoleStep step = ConsoleStep.of(new FencedBlock("d.md", 1, "", List.of("{\"event\":\"x\"}"))).get(0);

        assertEquals(true, step.isOutputOnly());
        assertEquals(List.of("{\"event\":\"x\"}"), step.output());
    }
}
