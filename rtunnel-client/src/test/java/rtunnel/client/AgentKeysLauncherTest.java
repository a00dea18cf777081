package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.auth.PassphraseSource;
import rtunnel.auth.SshPrivateKey;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.KeyFixtures;
import rtunnel.testing.RunningSshAgent;

/**
 * A real ssh-agent holding two keys made by ssh-keygen, the server's unauthorized one first: through the
 * launchers, the client offers each agent key in turn on one connection, then its -k file, and says which
 * key got in; {@code --agent-key} offers only the key it names. The server's JSON events show each refusal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentKeysLauncherTest {

    private static final Path ENV = Path.of("/usr/bin/env");
    private static final String LISTENING = "{\"event\":\"listening\",\"address\":\"127.0.0.1:";

    @TempDir
    Path dir;

    private final KeyFixtures keys = new KeyFixtures();
    private RunningSshAgent agent;
    private RunningProgram server;
    private int controlPort;

    AgentKeysLauncherTest() throws IOException {
    }

    /** An agent holding ecdsa256 (not authorized) and then ed25519 (authorized), and a server admitting ed25519. */
    @BeforeEach
    void startAgentAndServer() throws Exception {
        agent = RunningSshAgent.start(dir);
        agent.add(keys.file("ecdsa256"));
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, keys.publicLine("ed25519") + "\n");
        server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0", "-a", authorized.toString(),
                "--host-key", dir.resolve("host_key").toString(), "--json");
        String listening = server.awaitLine(LISTENING);
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(listening);
        assertTrue(port.find(), listening);
        controlPort = Integer.parseInt(port.group(1));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theClientOffersEachAgentKeyOnOneConnectionAndSaysWhichGotIn() throws Exception {
        agent.add(keys.file("ed25519"));

        try (RunningProgram client = client()) {
            client.awaitLine("rtunnel_client: 127.0.0.1:");
            client.awaitStderr("rtunnel_client: server 127.0.0.1:" + controlPort + " accepted key "
                    + fingerprint("ed25519") + " (fixture-ed25519, ssh-agent), after refusing 1 key");

            String refused = server.awaitLine("{\"event\":\"key_refused\"");
            String connected = server.awaitLine("{\"event\":\"client_connected\"");
            String from = refused.replaceFirst(".*\"client\":\"([^\"]+)\".*", "$1");
            assertEquals("{\"event\":\"key_refused\",\"client\":\"" + from + "\",\"reason\":\"key "
                    + fingerprint("ecdsa256") + " is not authorized\"}", refused);
            assertEquals("{\"event\":\"client_connected\",\"client\":\"" + from + "\",\"key\":\""
                    + fingerprint("ed25519") + "\"}", connected, "the same connection, from the same port");
            assertEquals(ExitCodes.OK, client.stop(), client.stderr());
            assertTrue(!client.stderr().contains("PRIVATE KEY") && !client.stderr().contains("AAAA"),
                    client.stderr());
        }
    }

    @Test
    void afterTheAgentsKeysTheClientOffersItsKeyFile() throws Exception {
        try (RunningProgram client = client("-k", keys.file("ed25519").toString())) {
            client.awaitLine("rtunnel_client: 127.0.0.1:");

            client.awaitStderr("rtunnel_client: server 127.0.0.1:" + controlPort + " accepted key "
                    + fingerprint("ed25519") + " (" + keys.file("ed25519") + "), after refusing 1 key");
            assertEquals(ExitCodes.OK, client.stop(), client.stderr());
        }
    }

    @Test
    void agentKeyOffersOnlyTheKeyItNames() throws Exception {
        agent.add(keys.file("ed25519"));

        try (RunningProgram client = client("--agent-key", fingerprint("ecdsa256"))) {
            assertEquals(ExitCodes.AUTH_REFUSED, client.awaitExit(), client.stderr());

            assertTrue(client.stderr().endsWith("rtunnel_client: server refused the connection: key "
                    + fingerprint("ecdsa256") + " is not authorized\n"), client.stderr());
        }
        server.awaitLine("{\"event\":\"key_refused\"");
    }

    /** {@code bin/rtunnel_client} with the agent in SSH_AUTH_SOCK, one tunnel, and {@code more} arguments. */
    private RunningProgram client(String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of("SSH_AUTH_SOCK=" + agent.socket(),
                RunningProgram.launcher("rtunnel_client").toString(), "-c", "127.0.0.1:" + controlPort,
                "-f", "127.0.0.1:0", "-t", "127.0.0.1:9", "--no-reconnect"));
        command.addAll(List.of(more));
        return RunningProgram.start(ENV, Path.of(""), command.toArray(String[]::new));
    }

    private String fingerprint(String name) throws IOException {
        return SshPrivateKey.load(keys.file(name), PassphraseSource.NONE).publicKey().fingerprint();
    }
}
