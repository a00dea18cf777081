package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import rtunnel.cli.ConsoleStep;
import rtunnel.cli.FencedBlock;

/**
 * Every fenced block of README.md and docs/*.md is run or checked, so that the documents cannot drift from
 * the code: one test per block, named by its file and line. A block none of the rules below claims fails,
 * so an example added later is checked from the start or gets an entry in {@link DocAllowList}.
 * <ul>
 * <li>rtunnel command lines are parsed and checked by the programs themselves, and run for real where the
 * document shows their output ({@link ExampleSession}, {@link ExampleShell});</li>
 * <li>output shown on its own must be what a real run prints ({@link OutputCatalog}), and log lines what a
 * log call of the class they name prints ({@link LogLineSource});</li>
 * <li>configuration (systemd units, HAProxy, authorized keys), synopses, scripts and argument files by
 * {@link ExampleFiles}; protocol.md's byte diagrams and benchmarks.md's result tables may not hold commands.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocExamplesTest {

    private static final String PROTOCOL = "docs/protocol.md";
    private static final String BENCHMARKS = "docs/benchmarks.md";

    private OutputCatalog catalog;

    @TestFactory
    Stream<DynamicNode> everyFencedBlockIsRunOrChecked() {
        return FencedBlock.documents().stream().map(this::document);
    }

    private DynamicNode document(String document) {
        DocumentRun run = new DocumentRun();
        Stream<DynamicNode> blocks = FencedBlock.in(document).stream().map(block -> dynamicTest(block.where()
                + " " + (block.lines().isEmpty() ? "" : block.lines().get(0)), () -> check(block, run)));
        return dynamicContainer(document, Stream.concat(blocks, Stream.of(dynamicTest(document
                + ": stop what its examples started", run::close))));
    }

    private void check(FencedBlock block, DocumentRun run) throws Exception {
        List<String> lines = block.lines();
        String first = lines.isEmpty() ? "" : lines.get(0);
        if (block.document().equals(PROTOCOL)) {
            ExampleFiles.holdsNoCommand(block, "a byte diagram or message layout");
        } else if (block.info().equals("ini")) {
            ExampleFiles.systemdUnit(block);
        } else if (block.info().equals("dns")) {
            ExampleFiles.wildcardRecords(block);
        } else if (block.info().equals("haproxy")) {
            ExampleFiles.haproxyConfiguration(block);
        } else if (block.info().equals("yaml")) {
            // A Prometheus scrape configuration: no Prometheus here. Its ports must be the --metrics ones shown.
            ExampleFiles.holdsNoCommand(block, "a Prometheus configuration");
        } else if (first.endsWith("/")) {
            ExampleFiles.releaseArchiveLayout(block);
        } else if (ExampleFiles.isAuthorizedKeysFormat(block)) {
            ExampleFiles.authorizedKeys(block);
        } else if (ExampleFiles.isSynopsis(block)) {
            ExampleFiles.synopsis(block);
        } else if (first.startsWith("#!")) {
            ExampleFiles.script(block, run.stage());
        } else if (ExampleFiles.isArgumentFile(block)) {
            ExampleFiles.argumentFile(block, run.stage());
        } else if (block.document().equals(BENCHMARKS) && !isConsole(block)) {
            ExampleFiles.holdsNoCommand(block, "a table of results");
        } else {
            for (ConsoleStep step : ConsoleStep.of(block)) {
                step(block, step, run);
            }
        }
    }

    private void step(FencedBlock block, ConsoleStep step, DocumentRun run) throws Exception {
        String where = block.document() + ":" + step.line();
        Optional<ExamplePrograms.Invocation> rtunnel = ExamplePrograms.invocation(step.words());
        if (step.isOutputOnly() && block.document().equals(BENCHMARKS)) {
            ExampleFiles.holdsNoCommand(block, "a table of results");
        } else if (step.isOutputOnly()) {
            shownOutput(where, step.output());
        } else if (step.words().isEmpty()) {
            // Variables alone, as in an environment file (systemd's EnvironmentFile=).
            ExampleSession.checkVariables(step.environment(), "", where);
        } else if (rtunnel.isPresent()) {
            run.session().run(step, rtunnel.get(), where);
        } else if (DocAllowList.COMMANDS.containsKey(step.command())) {
            assertTrue(step.output().isEmpty() || step.program().endsWith("java"), where
                    + ": an allow-listed example with output: " + step.command());
        } else if (step.program().equals("bin/rtunnel-bench")) {
            ExampleFiles.benchmarkFlags(where, step);
        } else {
            new ExampleShell(run.stage()).run(where, step);
        }
    }

    /** Whether a block shows a prompt or runs the benchmark: benchmarks.md's other blocks are its results. */
    private static boolean isConsole(FencedBlock block) {
        return block.lines().stream().anyMatch(line -> line.startsWith("$ ") || line.contains("bin/rtunnel-bench"));
    }

    /** Output a block shows without its command: log lines against the source, other lines against real runs. */
    private void shownOutput(String where, List<String> output) throws Exception {
        List<String> unknown = new ArrayList<>();
        for (String line : output) {
            if (DocAllowList.OUTPUT.containsKey(line)) {
                continue;
            }
            if (LogLineSource.isLogLine(line)) {
                Optional<String> mismatch = LogLineSource.mismatch(line);
                assertTrue(mismatch.isEmpty(), where + ": no log call prints " + line + "\n  " + mismatch.orElse(""));
            } else if (!catalog().has(line)) {
                unknown.add(line);
            }
        }
        assertEquals(List.of(), unknown, where + ": lines no real run printed; shapes printed:\n  "
                + String.join("\n  ", catalog().lines()));
        OutputCatalog known = catalog();
        StreamNotes.check(where, output.stream().filter(known::has).toList(), known::streams);
    }

    private OutputCatalog catalog() throws Exception {
        if (catalog == null) {
            catalog = OutputCatalog.record();
        }
        return catalog;
    }

    /** One document's stage and session, made when its first example needs them. */
    private static final class DocumentRun implements AutoCloseable {
        private ExampleStage stage;
        private ExampleSession session;

        ExampleStage stage() throws Exception {
            if (stage == null) {
                stage = new ExampleStage();
                session = new ExampleSession(stage);
            }
            return stage;
        }

        ExampleSession session() throws Exception {
            stage();
            return session;
        }

        @Override
        public void close() throws Exception {
            if (stage != null) {
                stage.close();
            }
        }
    }
}
