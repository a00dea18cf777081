package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.auth.KnownHosts;
import rtunnel.auth.SshPublicKey;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.OptionEnvironment;
import rtunnel.policy.PortRange;
import rtunnel.server.TunnelServer;
import rtunnel.testing.KeyFixtures;

/**
 * Trust on first use through the whole client command, run in this JVM against real servers on 127.0.0.1:
 * the first contact is recorded and said once, later ones are silent, a changed key ends the client with 4,
 * and a pinned client leaves the file alone. Every test has a known_hosts file of its own.
 */
@Timeout(90)
class KnownHostsEndToEndTest {

    /** The command sets the log level as system properties; this test leaves them as it found them. */
    private final Properties before = (Properties) System.getProperties().clone();

    @TempDir
    Path home;

    @AfterEach
    void restoreSystemProperties() {
        System.setProperties(before);
    }

    @Test
    void theFirstContactIsRecordedAndSaidOnceAndLaterContactsAreSilent() throws Exception {
        Path file = home.resolve(".rtunnel/known_hosts");
        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            String control = "127.0.0.1:" + server.controlAddress().getPort();
            RunningExample first = client(control, "--known-hosts", file.toString());
            first.awaitOutput("the tunnel and the first contact", output -> output.size() >= 2);
            RunningExample second = client(control, "--known-hosts", file.toString());
            second.awaitOutput("the tunnel", output -> output.size() >= 1);
            server.close();

            assertEquals(ExitCodes.UNREACHABLE, first.awaitExit());
            assertEquals(ExitCodes.UNREACHABLE, second.awaitExit());
            String closed = "rtunnel_client: server " + control + " closed the connection";
            assertEquals(List.of("rtunnel_client: first contact with server " + control + ": recorded its host key "
                    + server.hostKeyFingerprint() + " in " + file, closed), first.stderr());
            assertEquals(List.of(closed), second.stderr());
            assertEquals(1, second.stdout().size(), "the tunnel line: " + second.stdout());
            List<String> lines = Files.readAllLines(file);
            assertEquals(1, lines.size(), lines.toString());
            assertEquals(List.of("[127.0.0.1]:" + server.controlAddress().getPort(), "ssh-ed25519"),
                    List.of(lines.get(0).split(" ")).subList(0, 2));
        }
    }

    @Test
    void aChangedKeyEndsTheClientAtOnceWithFourNamingTheLine() throws Exception {
        SshPublicKey old = fixtureKey();
        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            int port = server.controlAddress().getPort();
            String text = "# my servers\n" + KnownHosts.line(KnownHosts.name("127.0.0.1", port), old) + "\n";
            Path file = Files.writeString(home.resolve("known_hosts"), text);
            StringWriter err = new StringWriter();

            // No --no-reconnect: the server proved a key that is not the known one, which no retry changes.
            int exit = ClientMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                    OptionEnvironment.none(), "-c", "127.0.0.1:" + port, "-f", "127.0.0.1:0", "-t", "127.0.0.1:9",
                    "--known-hosts", file.toString());

            assertEquals(ExitCodes.AUTH_REFUSED, exit);
            assertEquals("rtunnel_client: server identity mismatch: server key is " + server.hostKeyFingerprint()
                    + ", but " + file + ":2 has " + old.fingerprint()
                    + " (remove that line if the server's key changed on purpose)\n", err.toString());
            assertEquals(text, Files.readString(file));
        }
    }

    @Test
    void aFileThatCannotBeWrittenEndsTheClientAtOnceWithTwo() throws Exception {
        Path inTheWay = Files.writeString(home.resolve(".rtunnel"), "a file, not a directory\n");
        Path file = inTheWay.resolve("known_hosts");
        try (TunnelServer server = RunningTunnel.startServer(PortRange.ALL)) {
            StringWriter err = new StringWriter();

            // No --no-reconnect: a file that cannot be written stays so, however often the client asks.
            int exit = ClientMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                    OptionEnvironment.none(), "-c", "127.0.0.1:" + server.controlAddress().getPort(),
                    "-f", "127.0.0.1:0", "-t", "127.0.0.1:9", "--known-hosts", file.toString());

            assertEquals(ExitCodes.USAGE, exit);
            assertEquals("rtunnel_client: " + file + ": cannot record the server's key: not a directory: " + inTheWay
                    + "\n", err.toString());
        }
    }

    @Test
    void aPinnedClientNeitherReadsNorWritesTheFile() throws Exception {
        try (TunnelServer server = RunningTunnel.startServer(new PortRange(2, 3))) {
            int port = server.controlAddress().getPort();
            SshPublicKey other = fixtureKey();
            String wrong = KnownHosts.line(KnownHosts.name("127.0.0.1", port), other) + "\n";
            Path refusing = Files.writeString(home.resolve("refusing"), wrong);
            Path missing = home.resolve("missing/known_hosts");
            for (Path file : List.of(refusing, missing)) {
                StringWriter err = new StringWriter();
                // The server refuses port 1 after the handshake: the pin got the client through.
                int exit = ClientMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                        new OptionEnvironment(Map.of("RTUNNEL_KNOWN_HOSTS", file.toString())),
                        "-c", "127.0.0.1:" + port, "-f", "127.0.0.1:1", "-t", "127.0.0.1:9",
                        "--server-fingerprint", server.hostKeyFingerprint());
                assertEquals(ExitCodes.PORT_REFUSED, exit, err.toString());
                assertEquals("rtunnel_client: server refused port 1: outside 2-3\n", err.toString());
            }
            assertEquals(wrong, Files.readString(refusing));
            assertFalse(Files.exists(missing.getParent()), "nothing created");
        }
    }

    @Test
    void eachOfSeveralServersGetsItsOwnEntry() throws Exception {
        Path file = home.resolve("known_hosts");
        TunnelServer a = RunningTunnel.startServer(PortRange.ALL);
        try (TunnelServer b = RunningTunnel.startServer(PortRange.ALL)) {
            List<String> controls = new ArrayList<>();
            for (TunnelServer server : List.of(a, b)) {
                controls.add("127.0.0.1:" + server.controlAddress().getPort());
            }
            RunningExample client = client(controls.get(0), "-c", controls.get(1), "--max-retries", "1",
                    "--known-hosts", file.toString());
            client.awaitOutput("the first server's tunnel", output -> output.size() >= 2);
            a.close();
            client.awaitOutput("the second server's tunnel", output -> output.stream()
                    .filter(line -> line.contains("first contact")).count() == 2);
            b.close();
            client.awaitExit();

            List<String> lines = Files.readAllLines(file);
            assertEquals(2, lines.size(), lines.toString());
            for (int i = 0; i < 2; i++) {
                TunnelServer server = i == 0 ? a : b;
                assertEquals(KnownHosts.name("127.0.0.1", server.controlAddress().getPort()),
                        lines.get(i).split(" ")[0]);
                String said = "rtunnel_client: first contact with server " + controls.get(i)
                        + ": recorded its host key " + server.hostKeyFingerprint() + " in " + file;
                assertEquals(1, client.stderr().stream().filter(said::equals).count(), client.stderr().toString());
            }
        } finally {
            a.close();
        }
    }

    /** A key no server of these tests has: they make their host keys afresh. */
    private static SshPublicKey fixtureKey() throws IOException {
        return SshPublicKey.fromBlob(Base64.getDecoder().decode(new KeyFixtures().publicLine("ed25519").split(" ")[1]));
    }

    /** {@code rtunnel_client -c CONTROL -f 127.0.0.1:0 -t 127.0.0.1:9 --no-reconnect MORE...} in this JVM. */
    private static RunningExample client(String control, String... more) {
        List<String> args = new ArrayList<>(List.of("-c", control, "-f", "127.0.0.1:0", "-t", "127.0.0.1:9"));
        if (!List.of(more).contains("--max-retries")) {
            args.add("--no-reconnect");
        }
        args.addAll(List.of(more));
        return RunningExample.start(ExamplePrograms.CLIENT, Map.of(), args);
    }
}
