package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import rtunnel.bench.Benchmark;
import rtunnel.cli.DocFiles;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.FencedBlock;
import rtunnel.cli.OptionEnvironment;

/**
 * What the documents' prose and tables name must exist: the flag tables of usage.md and README.md list
 * every option of each program and nothing else, every flag and RTUNNEL_ variable named anywhere is real,
 * and the exit code tables list exactly the statuses of {@link ExitCodes}.
 */
class DocTablesTest {

    /**
     * Flags of other programs the documents name: bore's (migrating.md maps them to rtunnel's), useradd's
     * (operations.md) and setpriv's (benchmarks.md).
     */
    private static final Set<String> OTHER_PROGRAMS_FLAGS = Set.of("--to", "--local-host", "--port", "--secret",
            "--min-port", "--max-port", "--bind-addr", "--bind-tunnels", "--system", "--pdeathsig");

    /** Flags an earlier version had, which migrating.md names to say what replaced them. */
    private static final Set<String> REMOVED_FLAGS = Set.of("--max-pending");

    private static final Pattern TABLE_FLAG = Pattern.compile("`(--?[a-zA-Z][\\w-]*)");
    private static final Pattern QUOTED_LONG_FLAG = Pattern.compile("`[^`]*?(?<![\\w-])(--[a-z][\\w-]*)");
    private static final Pattern VARIABLE = Pattern.compile("\\bRTUNNEL_[A-Z][A-Z0-9_]*");
    private static final Pattern STATUS_ROW = Pattern.compile("^\\| (\\d+) \\|");

    @Test
    void theFlagTablesListEveryOptionOfEachProgramAndNoOther() {
        for (String document : List.of("docs/usage.md", "README.md")) {
            Map<String, Set<String>> tables = flagTables(document);
            for (String program : List.of(ExamplePrograms.SERVER, ExamplePrograms.CLIENT)) {
                Set<String> listed = tables.getOrDefault(program, Set.of());
                Set<String> unknown = new TreeSet<>(listed);
                unknown.removeAll(DocOptions.names(program));
                assertEquals(Set.of(), unknown, document + ": the " + program + " table lists flags it does not have");
                Set<String> missing = new TreeSet<>();
                DocOptions.spec(program).options().stream().filter(option -> !listed.contains(option.longestName()))
                        .forEach(option -> missing.add(option.longestName()));
                assertEquals(Set.of(), missing, document + ": the " + program + " table leaves out options");
            }
        }
    }

    @Test
    void everyLongFlagTheDocumentsNameIsAnOption() {
        Set<String> known = new TreeSet<>(OTHER_PROGRAMS_FLAGS);
        known.addAll(REMOVED_FLAGS);
        known.addAll(DocOptions.names(ExamplePrograms.SERVER));
        known.addAll(DocOptions.names(ExamplePrograms.CLIENT));
        known.addAll(new CommandLine(new Benchmark()).getCommandSpec().optionsMap().keySet());
        List<String> unknown = new ArrayList<>();
        for (String document : FencedBlock.documents()) {
            String[] lines = DocFiles.read(document).split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher flag = QUOTED_LONG_FLAG.matcher(lines[i]);
                while (flag.find()) {
                    // A name ending in "-" stands for a family, as in `--max-*`.
                    if (!known.contains(flag.group(1)) && !flag.group(1).endsWith("-")) {
                        unknown.add(document + ":" + (i + 1) + ": " + flag.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, "flags that no program has");
    }

    @Test
    void everyVariableTheDocumentsNameIsReadByAProgram() {
        Set<String> known = new TreeSet<>(DocOptions.variables(""));
        known.addAll(OptionEnvironment.RESERVED);
        List<String> unknown = new ArrayList<>();
        for (String document : FencedBlock.documents()) {
            String[] lines = DocFiles.read(document).split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher variable = VARIABLE.matcher(lines[i]);
                while (variable.find()) {
                    if (!known.contains(variable.group())) {
                        unknown.add(document + ":" + (i + 1) + ": " + variable.group());
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, "variables no program reads");
    }

    @Test
    void theExitCodeTablesListExactlyTheStatusesOfExitCodes() throws Exception {
        Set<Integer> statuses = new TreeSet<>();
        for (Field field : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                statuses.add(field.getInt(null));
            }
        }
        for (String[] table : List.of(new String[] {"README.md", "## Exit codes"},
                new String[] {"docs/usage.md", "## Exit codes"},
                new String[] {"docs/operations.md", "### Which exit codes to restart"})) {
            assertEquals(statuses, statusesIn(table[0], table[1]), table[0] + " " + table[1]);
        }
    }

    /** The statuses in the first table after {@code heading}. */
    private static Set<Integer> statusesIn(String document, String heading) {
        String text = DocFiles.read(document);
        int start = text.indexOf("\n" + heading + "\n");
        Set<Integer> statuses = new TreeSet<>();
        boolean inTable = false;
        for (String line : text.substring(start + 1).split("\n")) {
            Matcher row = STATUS_ROW.matcher(line);
            if (row.find()) {
                statuses.add(Integer.parseInt(row.group(1)));
            }
            if (line.startsWith("|")) {
                inTable = true;
            } else if (inTable) {
                break;
            }
        }
        return statuses;
    }

    /**
     * The flags of each flag table, by the program it belongs to: the last program named in a heading (or on
     * a line of its own, as README.md's {@code `rtunnel_server`:}) before the table.
     */
    private static Map<String, Set<String>> flagTables(String document) {
        Map<String, Set<String>> tables = new TreeMap<>();
        String program = "";
        for (String line : DocFiles.read(document).split("\n")) {
            if (line.startsWith("#") || line.matches("`rtunnel_\\w+`:")) {
                program = line.contains(ExamplePrograms.SERVER) ? ExamplePrograms.SERVER
                        : line.contains(ExamplePrograms.CLIENT) ? ExamplePrograms.CLIENT : "";
            } else if (line.startsWith("| `-") && !program.isEmpty()) {
                String flags = line.substring(0, line.indexOf(" |", 2));
                Matcher flag = TABLE_FLAG.matcher(flags);
                while (flag.find()) {
                    tables.computeIfAbsent(program, p -> new TreeSet<>()).add(flag.group(1));
                }
            }
        }
        return tables;
    }
}
