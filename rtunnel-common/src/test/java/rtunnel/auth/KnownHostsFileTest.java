package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/** The client's known_hosts file, in a temporary directory: first contact, later contacts, a changed key. */
@Timeout(120)
class KnownHostsFileTest {

    /** The server every {@link KnownHostsWriter} child meets. */
    static final String SHARED = "shared.example.com";
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final SshPublicKey ED25519 = Fixtures.publicKey("ed25519");
    private static final SshPublicKey RSA = Fixtures.publicKey("rsa2048");

    @TempDir
    Path home;

    @Test
    void firstContactCreatesAnOwnerOnlyFileAndDirectoryAndLaterContactsChangeNothing() throws IOException {
        Path file = home.resolve(".rtunnel/known_hosts");
        KnownHostsFile known = new KnownHostsFile(file);

        assertTrue(known.verify("[127.0.0.1]:41234", ED25519), "recorded at first contact");
        String written = Files.readString(file);
        assertFalse(known.verify("[127.0.0.1]:41234", ED25519), "known at the second");

        assertEquals(KnownHosts.line("[127.0.0.1]:41234", ED25519) + "\n", written);
        assertEquals(written, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void aChangedKeyIsRefusedNamingTheFileTheLineAndBothFingerprints() throws IOException {
        String text = "# mine\n" + KnownHosts.line("myserver.com", RSA) + "\n";
        Path file = Files.writeString(home.resolve("known_hosts"), text);

        RefusedException refused = assertThrows(RefusedException.class,
                () -> new KnownHostsFile(file).verify("myserver.com", ED25519));

        assertEquals(Refusal.AUTHENTICATION, refused.refusal());
        assertEquals("server identity mismatch: server key is " + ED25519.fingerprint() + ", but " + file
                + ":2 has " + RSA.fingerprint() + " (remove that line if the server's key changed on purpose)",
                refused.getMessage());
        assertEquals(text, Files.readString(file));
    }

    @Test
    void aRevokedKeyIsRefusedWhateverTheName() throws IOException {
        Path file = Files.writeString(home.resolve("known_hosts"), "@revoked * " + ED25519.type() + " "
                + Base64.getEncoder().encodeToString(ED25519.blob()) + "\n");

        RefusedException refused = assertThrows(RefusedException.class,
                () -> new KnownHostsFile(file).verify("myserver.com", ED25519));

        assertEquals("server identity mismatch: server key " + ED25519.fingerprint() + " is revoked at " + file + ":1",
                refused.getMessage());
    }

    @Test
    void commentsBlankLinesAndOtherServersAreKeptAndEachServerGetsItsOwnLine() throws IOException {
        String before = "# written by hand\n\nother.example.com " + RSA.type() + " "
                + Base64.getEncoder().encodeToString(RSA.blob()) + " a comment";
        Path file = Files.writeString(home.resolve("known_hosts"), before);
        KnownHostsFile known = new KnownHostsFile(file);

        assertTrue(known.verify("a.example.com", ED25519));
        assertTrue(known.verify("[a.example.com]:7000", RSA));

        assertEquals(before + "\n" + KnownHosts.line("a.example.com", ED25519) + "\n"
                + KnownHosts.line("[a.example.com]:7000", RSA) + "\n", Files.readString(file));
    }

    @Test
    void aFileThatCannotBeReadIsAKeyFileErrorNamingIt() throws IOException {
        Path directory = Files.createDirectory(home.resolve("known_hosts"));

        KeyFileException failed = assertThrows(KeyFileException.class,
                () -> new KnownHostsFile(directory).verify("myserver.com", ED25519));

        assertTrue(failed.getMessage().startsWith(directory + ": cannot read: "), failed.getMessage());
    }

    @Test
    void openSshFindsTheLinesItWritesAndItReadsTheLinesOpenSshHashes() throws Exception {
        assumeTrue(Files.isExecutable(SSH_KEYGEN), "needs " + SSH_KEYGEN);
        Path file = home.resolve("known_hosts");
        new KnownHostsFile(file).verify("[127.0.0.1]:41234", ED25519);

        Process found = new ProcessBuilder(SSH_KEYGEN.toString(), "-F", "[127.0.0.1]:41234", "-f", file.toString())
                .redirectErrorStream(true).start();
        String said = new String(found.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(found.waitFor(30, TimeUnit.SECONDS) && found.exitValue() == 0, said);
        assertTrue(said.contains(KnownHosts.line("[127.0.0.1]:41234", ED25519)), said);

        Process hashed = new ProcessBuilder(SSH_KEYGEN.toString(), "-H", "-f", file.toString())
                .redirectErrorStream(true).start();
        String hashing = new String(hashed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(hashed.waitFor(30, TimeUnit.SECONDS) && hashed.exitValue() == 0, hashing);
        assertTrue(Files.readString(file).startsWith("|1|"), Files.readString(file));
        assertFalse(new KnownHostsFile(file).verify("[127.0.0.1]:41234", ED25519), "the hashed line still counts");
    }

    @Test
    void clientsRecordingTogetherInSeveralProcessesLoseAndCorruptNothing() throws Exception {
        int children = 3;
        int each = 10;
        Path file = home.resolve(".rtunnel/known_hosts");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    KnownHostsWriter.class.getName(), file.toString(), "child" + i, Integer.toString(each),
                    Base64.getEncoder().encodeToString(ED25519.blob())).redirectErrorStream(true).start());
        }
        int recorded = 0;
        for (Process process : processes) {
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, said);
            recorded += Integer.parseInt(said);
        }

        assertEquals(children * each + 1, recorded, "each server recorded once, the shared one by one child");
        List<String> lines = Files.readAllLines(file);
        assertEquals(children * each + 1, lines.size());
        KnownHosts known = KnownHosts.parse(Files.readString(file));
        assertEquals(List.of(), known.skipped());
        assertEquals(KnownHosts.Kind.KNOWN, known.check(SHARED, ED25519).kind());
        for (int i = 0; i < children; i++) {
            for (int j = 0; j < each; j++) {
                String name = KnownHosts.name("child" + i + "-" + j + ".example.com", 4000);
                assertEquals(KnownHosts.Kind.KNOWN, known.check(name, ED25519).kind(), name);
            }
        }
    }

    /** A client holding tunnels on several servers meets them from one thread each, at the same moment. */
    @Test
    void threadsOfOneProcessRecordingTogetherLoseNothingAndFailNot() throws Exception {
        int threads = 8;
        Path file = home.resolve("known_hosts");
        KnownHostsFile known = new KnownHostsFile(file);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> recorded = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = KnownHosts.name("127.0.0.1", 41000 + i);
                recorded.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return known.verify(name, ED25519);
                }));
            }
            for (Future<Boolean> each : recorded) {
                assertTrue(each.get(30, TimeUnit.SECONDS), "every server is new and recorded once");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads, Files.readAllLines(file).size());
        assertEquals(List.of(), KnownHosts.parse(Files.readString(file)).skipped());
    }
}
