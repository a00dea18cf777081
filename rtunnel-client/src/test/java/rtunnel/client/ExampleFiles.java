package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import rtunnel.auth.AuthorizedKeys;
import rtunnel.bench.Benchmark;
import rtunnel.cli.ConsoleStep;
import rtunnel.cli.DocFiles;
import rtunnel.cli.FencedBlock;
import rtunnel.cli.RunningProgram;
import rtunnel.cli.ShellWords;
import rtunnel.testing.KeyFixtures;

/** The checks of the blocks that are not a console session: files, configurations, synopses and scripts. */
final class ExampleFiles {

    private static final Pattern PROMPT = Pattern.compile("^[\\w-]*\\$\\s+");
    private static final Pattern SYNOPSIS_OPTION = Pattern.compile("(?<=[\\s\\[(|])--?[a-zA-Z][\\w-]*");
    private static final Pattern KEY_TYPE = Pattern.compile("\\b(ssh-ed25519|ssh-rsa|ecdsa-sha2-\\w+|keytype)\\b");
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private ExampleFiles() {
    }

    /** A block that is no example to run (a diagram, a table) must not hide a command line either. */
    static void holdsNoCommand(FencedBlock block, String what) {
        for (int i = 0; i < block.lines().size(); i++) {
            String line = PROMPT.matcher(block.lines().get(i)).replaceFirst("");
            List<String> words;
            try {
                words = ShellWords.split(line);
            } catch (IllegalArgumentException unbalancedQuotes) {
                // Not a command line: a diagram or a table may hold any character.
                continue;
            }
            assertFalse(ExamplePrograms.invocation(words).isPresent() || line.startsWith("bin/"),
                    block.document() + ":" + block.lineOf(i) + ": a command in " + what + ", where no test runs it");
        }
    }

    /** SystemdUnitsTest verifies the unit; here its ExecStart command line is parsed by the program. */
    static void systemdUnit(FencedBlock block) {
        Matcher exec = Pattern.compile("(?m)^ExecStart=[-@:+!]*((?:.*\\\\\\n)*.*)").matcher(block.text());
        assertTrue(exec.find(), block.where() + ": a unit without ExecStart");
        List<String> words = ShellWords.split(exec.group(1).replace("\\\n", " "));
        ExamplePrograms.Invocation invocation = ExamplePrograms.invocation(words).orElseThrow(
                () -> new AssertionError(block.where() + ": ExecStart runs no rtunnel program: " + words));
        assertEquals("", ExamplePrograms.usageError(invocation.program(), Map.of(), invocation.args()),
                block.where() + ": ExecStart=" + words);
    }

    /**
     * DNS zone lines ({@code NAME TTL IN A|AAAA ADDRESS}): wildcard names, and addresses that are literals
     * of the record's family. No DNS server runs here; a zone file takes these lines as they are.
     */
    static void wildcardRecords(FencedBlock block) throws Exception {
        for (String line : block.lines()) {
            String[] fields = line.strip().split("\\s+");
            assertEquals(5, fields.length, block.where() + ": NAME TTL IN TYPE ADDRESS: " + line);
            assertTrue(fields[0].startsWith("*.") && fields[0].endsWith("."), block.where() + ": " + fields[0]);
            Integer.parseInt(fields[1]);
            assertEquals("IN", fields[2], block.where());
            java.net.InetAddress address = java.net.InetAddress.getByName(fields[4]);
            assertEquals(fields[3].equals("A") ? 4 : 16, address.getAddress().length, block.where() + ": " + line);
            assertTrue(fields[3].equals("A") || fields[3].equals("AAAA"), block.where() + ": " + fields[3]);
        }
    }

    /** HAProxy checks the configuration itself ({@code haproxy -c}), as CI installs it. */
    static void haproxyConfiguration(FencedBlock block) throws Exception {
        assumeTrue(Files.isExecutable(HAPROXY), HAPROXY + " is not installed");
        Path file = Files.createTempFile("rtunnel-doc", ".cfg");
        Files.writeString(file, block.text());
        Process process = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", file.toString())
                .redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(RunningExample.DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "haproxy -c hung");
        assertEquals(0, process.exitValue(), block.where() + ": haproxy -c says:\n" + said);
        Files.delete(file);
    }

    /** The release archive's listing names what the assembly descriptor puts in it. */
    static void releaseArchiveLayout(FencedBlock block) throws Exception {
        String descriptor = Files.readString(DocFiles.resolve("rtunnel-client/src/assembly/release.xml"));
        for (String line : block.lines().subList(1, block.lines().size())) {
            for (String word : line.strip().split("\\s+")) {
                String path = word.replaceAll("[(),]", "");
                String name = Path.of(path.isEmpty() ? "." : path).getFileName().toString();
                boolean listed = path.startsWith("bin/") ? descriptor.contains("<include>" + name + "</include>")
                        : path.startsWith("lib/") ? descriptor.contains("/" + name + "</source>")
                        : path.startsWith("docs/") ? Files.exists(DocFiles.resolve(path))
                        : !path.equals("README.md") && !path.equals("LICENSE")
                                || descriptor.contains("/../" + path + "</source>");
                assertTrue(listed, block.where() + ": the release archive holds no " + path);
            }
        }
    }

    static boolean isAuthorizedKeysFormat(FencedBlock block) {
        return block.lines().stream().noneMatch(line -> PROMPT.matcher(line).find())
                && block.lines().stream().anyMatch(line -> KEY_TYPE.matcher(line).find());
    }

    /**
     * An authorized_keys line is admitted by the server's parser, with a real key in place of the shortened
     * {@code AAAAC3Nza...}; the format's syntax line ({@code keytype base64}) is prose.
     */
    static void authorizedKeys(FencedBlock block) throws Exception {
        KeyFixtures keys = new KeyFixtures();
        String realKey = keys.publicLine("ed25519").split(" ")[1];
        for (String line : block.lines()) {
            if (line.contains("keytype base64")) {
                continue;
            }
            Path file = keys.scratch("authorized_keys");
            Files.writeString(file, line.replaceAll("AAAA\\S*\\.\\.\\.", realKey) + "\n");
            AuthorizedKeys admitted = AuthorizedKeys.load(file);
            assertEquals(List.of(), admitted.warnings(), block.where() + ": " + line);
            assertEquals(1, admitted.size(), block.where() + ": " + line);
        }
    }

    static boolean isSynopsis(FencedBlock block) {
        return !block.lines().isEmpty() && block.lines().get(0).matches("rtunnel_(server|client) .*\\[-.*");
    }

    /** A synopsis names only real options, and every option but -h and -V. */
    static void synopsis(FencedBlock block) {
        String program = block.lines().get(0).split(" ")[0];
        Set<String> named = new TreeSet<>();
        Matcher option = SYNOPSIS_OPTION.matcher(block.text());
        while (option.find()) {
            named.add(option.group());
        }
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(DocOptions.names(program));
        assertEquals(Set.of(), unknown, block.where() + ": options " + program + " does not have");
        List<String> left = new ArrayList<>();
        DocOptions.settable(program).stream().filter(spec -> List.of(spec.names()).stream().noneMatch(named::contains))
                .forEach(spec -> left.add(spec.longestName()));
        assertEquals(List.of(), left, block.where() + ": options the synopsis of " + program + " leaves out");
    }

    /**
     * A script is syntax-checked by its shell and run with the launchers on its PATH: with a key file that
     * cannot be used, the client exits 2 at once, and the script must end with that status.
     */
    static void script(FencedBlock block, ExampleStage stage) throws Exception {
        String shell = block.lines().get(0).substring(2).strip();
        Path script = Files.writeString(stage.home.resolve("example-script"), block.text());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals(0, run(List.of(shell, "-n", script.toString()), Map.of()).status(), block.where() + ": " + shell
                + " -n");
        Path bin = Files.createDirectories(stage.home.resolve("bin"));
        for (String program : List.of(ExamplePrograms.SERVER, ExamplePrograms.CLIENT)) {
            Files.deleteIfExists(bin.resolve(program));
            Files.createSymbolicLink(bin.resolve(program), RunningProgram.launcher(program));
        }
        ExampleStage.ShellResult ran = run(List.of(script.toString(), "-f", "127.0.0.1:0", "-t", "3000", "-k",
                stage.home.resolve("no-such-key").toString()), Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "RTUNNEL_CLASSPATH", System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path"))));
        assertEquals(2, ran.status(), block.where() + ": the script with an unusable key printed " + ran.output());
    }

    static boolean isArgumentFile(FencedBlock block) {
        List<String> lines = block.lines().stream().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        return !lines.isEmpty() && lines.stream().allMatch(line -> line.startsWith("-"));
    }

    /** An argument file parses as arguments of one of the programs, and is kept under the name it gives. */
    static void argumentFile(FencedBlock block, ExampleStage stage) throws Exception {
        List<String> args = new ArrayList<>();
        block.lines().stream().filter(line -> !line.startsWith("#")).forEach(line -> args.addAll(ShellWords.split(line)));
        boolean parses = ExamplePrograms.usageError(ExamplePrograms.CLIENT, Map.of(), args).isEmpty()
                || ExamplePrograms.usageError(ExamplePrograms.SERVER, Map.of(), args).isEmpty();
        assertTrue(parses, block.where() + ": neither program takes " + args);
        Matcher name = Pattern.compile("^# ([\\w.-]+):").matcher(block.lines().get(0));
        if (name.find()) {
            Files.writeString(stage.home.resolve(name.group(1)), block.text());
        }
    }

    /** bin/rtunnel-bench's flags, parsed by the benchmark's own command line. */
    static void benchmarkFlags(String where, ConsoleStep step) {
        CommandLine line = new CommandLine(new Benchmark()).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            line.parseArgs(step.args().toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + ": " + step.command() + ": " + e.getMessage(), e);
        }
    }

    private static ExampleStage.ShellResult run(List<String> command, Map<String, String> environment)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(RunningProgram.DEADLINE.toMillis(), TimeUnit.MILLISECONDS), command + " hung");
        return new ExampleStage.ShellResult(process.exitValue(), said.lines().toList());
    }

}
