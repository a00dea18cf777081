package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import rtunnel.cli.DocFiles;
import rtunnel.cli.ExitCodes;

/**
 * What the documents' prose says a program does in a scenario must be what a test of that scenario checks.
 * Every prose sentence that states an exit status ({@link DocClaims}) is tied to the test that runs its
 * scenario, by a phrase of the sentence; a tie with a status names a test that asserts that status. A
 * sentence nobody tied yet is listed in {@code doc-claims-untied.txt}, a list that may only shrink: a new
 * or reworded claim fails here until a test is named for it (and it turns out true or gets fixed).
 */
class DocClaimsTest {

    /** A claim tied to the test that runs its scenario; {@code exit} is the status it asserts, or -1. */
    private record Tie(String document, String phrase, String test, String method, int exit) {
    }

    private static final List<Tie> TIES = List.of(
            new Tie("README.md", "`rtunnel_client: server refused port 5000: outside 4000-4999`, exit status 5",
                    "rtunnel.client.LaunchersTest", "aPortOutsideTheServersRangeExitsWithFiveAndTheReason", ExitCodes.PORT_REFUSED),
            new Tie("docs/usage.md", "A client asking outside them is refused and exits 5",
                    "rtunnel.client.LaunchersTest", "aPortOutsideTheServersRangeExitsWithFiveAndTheReason", ExitCodes.PORT_REFUSED),
            new Tie("docs/usage.md", "has taken that port meanwhile (or it is now outside the range), the client is "
                    + "not refused: it asks for any free port instead", "rtunnel.client.ReliabilityTest",
                    "aTunnelOnAnyPortWhosePortWasTakenMeanwhileComesBackOnAnother", -1),
            new Tie("docs/operations.md", "If the server refuses that port (another client took it meanwhile, or it "
                    + "is now outside the range), the client asks for any free port instead", "rtunnel.client.ReliabilityTest",
                    "aTunnelOnAnyPortWhosePortWasTakenMeanwhileComesBackOnAnother", -1),
            new Tie("docs/usage.md", "key SHA256:... is not authorized; key SHA256:... is revoked` (exit 4)",
                    "rtunnel.client.AgentKeysLauncherTest", "agentKeyOffersOnlyTheKeyItNames", ExitCodes.AUTH_REFUSED),
            new Tie("docs/protocol.md", "then reports every reason it got", "rtunnel.auth.AuthRetryTest",
                    "aClientOutOfKeysIsRefusedWithEveryReason", -1),
            new Tie("docs/usage.md", "and the client exits 4 at once, without retrying: the server proved a key "
                    + "that is not the one the file holds", "rtunnel.client.KnownHostsEndToEndTest",
                    "aChangedKeyEndsTheClientAtOnceWithFourNamingTheLine", ExitCodes.AUTH_REFUSED),
            new Tie("docs/security.md", "leaves the file alone and exits 4 without retrying",
                    "rtunnel.client.KnownHostsEndToEndTest", "aChangedKeyEndsTheClientAtOnceWithFourNamingTheLine",
                    ExitCodes.AUTH_REFUSED),
            new Tie("docs/operations.md", "A client refuses a server with another key than the one it knows and "
                    + "exits 4 at once", "rtunnel.client.KnownHostsEndToEndTest",
                    "aChangedKeyEndsTheClientAtOnceWithFourNamingTheLine", ExitCodes.AUTH_REFUSED),
            new Tie("docs/security.md", "A file that cannot be read or added to stops the client with exit 2",
                    "rtunnel.client.KnownHostsEndToEndTest", "aFileThatCannotBeWrittenEndsTheClientAtOnceWithTwo",
                    ExitCodes.USAGE),
            new Tie("docs/security.md", "`--hostname bob` is then refused with `server refused name bob: name "
                    + "bob.myserver.com is not permitted for this key", "rtunnel.client.NameOwnershipTest",
                    "permitHostnameRefusesOtherNamesWithTheReason", -1),
            new Tie("docs/operations.md", "is held by a live session of the same client from 198.51.100.7:48068` "
                    + "(exit 5)", "rtunnel.client.SharedKeyTest", "aSecondLiveClientWithTheSameKeyIsRefusedAndTheFirstKeepsItsPort",
                    -1));

    private static final Path UNTIED = Path.of("src/test/resources/doc-claims-untied.txt");

    @Test
    void everyExitStatusTheProseStatesIsTiedToATestOfItsScenario() throws IOException {
        Set<String> untied = untied();
        List<String> loose = new ArrayList<>();
        Set<String> stillThere = new TreeSet<>();
        for (DocClaims.Claim claim : DocClaims.all()) {
            String key = claim.document() + ": " + claim.sentence();
            boolean tied = TIES.stream().anyMatch(tie -> tie.document().equals(claim.document())
                    && claim.sentence().contains(DocClaims.collapsed(tie.phrase())));
            if (untied.contains(key)) {
                stillThere.add(key);
            } else if (!tied) {
                loose.add(key);
            }
        }
        assertEquals(List.of(), loose, "claims about exit statuses that no test is named for: add a Tie to "
                + "DocClaimsTest with the test that runs the scenario (and check the claim is true)");
        Set<String> gone = new TreeSet<>(untied);
        gone.removeAll(stillThere);
        assertEquals(Set.of(), gone, UNTIED + " lists sentences the documents no longer have (or now tie): remove them");
    }

    @Test
    void everyTieNamesAPhraseOfItsDocumentAndATestThatChecksIt() throws Exception {
        for (Tie tie : TIES) {
            assertTrue(DocClaims.collapsed(DocFiles.read(tie.document())).contains(DocClaims.collapsed(tie.phrase())),
                    tie.document() + " no longer says: " + tie.phrase());
            Class<?> test = Class.forName(tie.test());
            assertTrue(Arrays.stream(test.getDeclaredMethods()).anyMatch(m -> m.getName().equals(tie.method())),
                    tie.test() + " has no test " + tie.method());
            String body = body(test, tie.method());
            assertTrue(body.contains("assert"), tie.method() + " asserts nothing");
            if (tie.exit() >= 0) {
                String constant = "ExitCodes." + exitCodeName(tie.exit());
                assertTrue(body.contains(constant), tie.method() + " does not check " + constant + " for: " + tie.phrase());
            }
        }
    }

    /** The untied claims, one "document: sentence" a line. */
    private static Set<String> untied() throws IOException {
        Set<String> lines = new TreeSet<>();
        for (String line : Files.readAllLines(UNTIED)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** The source of {@code method} in {@code test}: from its name to the next method's annotation or the end. */
    private static String body(Class<?> test, String method) throws IOException {
        String file = test.getName().replace('.', '/') + ".java";
        for (String module : List.of("", "../rtunnel-common/")) {
            Path source = Path.of(module + "src/test/java/" + file);
            if (Files.exists(source)) {
                String text = Files.readString(source);
                int start = text.indexOf(" " + method + "(");
                int end = text.indexOf("\n    @", start);
                return text.substring(start, end < 0 ? text.length() : end);
            }
        }
        throw new AssertionError("no source for " + test.getName());
    }

    private static String exitCodeName(int code) throws IllegalAccessException {
        for (Field field : ExitCodes.class.getFields()) {
            if (field.getType() == int.class && field.getInt(null) == code) {
                return field.getName();
            }
        }
        throw new AssertionError("no exit code " + code);
    }
}
