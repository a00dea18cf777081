package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rtunnel.testing.KeyFixtures;
import rtunnel.testing.RunningSshAgent;

/** The ssh-agent client against the real OpenSSH ssh-agent, and against a fake one that misbehaves. */
@Timeout(60)
class AgentIdentityTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final byte[] DATA = "signed by ssh-agent for rtunnel".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final KeyFixtures keys;
    private RunningSshAgent running;
    private SshAgent agent;

    AgentIdentityTest() throws IOException {
        keys = new KeyFixtures();
    }

    @BeforeEach
    void startAgent() throws IOException {
        running = RunningSshAgent.start(dir);
        agent = running.agent();
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void listsExactlyTheAddedKeys() throws Exception {
        List<String> names = List.of("ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072");
        for (String name : names) {
            add(name);
        }

        List<String> listed = agent.identities().stream().map(SshPublicKey::fingerprint).sorted().toList();

        assertEquals(names.stream().map(this::fingerprint).sorted().toList(), listed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072"})
    void signaturesFromTheAgentVerify(String name) throws Exception {
        add(name);
        AgentIdentity identity = AgentIdentity.choose(agent, fingerprint(name)).get(0);

        byte[] signature = identity.sign(DATA);

        SshPublicKey key = identity.publicKey();
        assertEquals(key.type().equals("ssh-rsa") ? "rsa-sha2-256" : key.type(),
                new SshBlobReader(signature).readText());
        assertTrue(key.verify(DATA, signature));
    }

    @Test
    void skipsKeysRtunnelRefusesAndChoosesEveryUsableOneInTheAgentsOrder() throws Exception {
        add("rsa1024");
        add("ecdsa256");
        add("ed25519");

        assertEquals(List.of(fingerprint("ecdsa256"), fingerprint("ed25519")),
                agent.identities().stream().map(SshPublicKey::fingerprint).toList());
        assertEquals(List.of(fingerprint("ecdsa256"), fingerprint("ed25519")), AgentIdentity.choose(agent, null)
                .stream().map(identity -> identity.publicKey().fingerprint()).toList());
    }

    @Test
    void namesEachKeyByItsCommentInTheAgentAndNeverByKeyMaterial() throws Exception {
        add("ed25519");
        AgentIdentity identity = AgentIdentity.choose(agent, null).get(0);

        assertEquals(fingerprint("ed25519") + " (fixture-ed25519, ssh-agent)", identity.describe());
    }

    @Test
    void choosesTheWantedKey() throws Exception {
        add("ed25519");
        add("rsa2048");

        assertEquals(fingerprint("rsa2048"),
                AgentIdentity.choose(agent, fingerprint("rsa2048")).get(0).publicKey().fingerprint());
    }

    @Test
    void refusesAFingerprintTheAgentDoesNotHold() throws Exception {
        add("ed25519");
        String missing = fingerprint("ecdsa256");

        IOException e = assertThrows(IOException.class, () -> AgentIdentity.choose(agent, missing));
        assertEquals("ssh-agent does not hold key " + missing, e.getMessage());
    }

    @Test
    void reportsAnAgentWithNoKeys() {
        IOException e = assertThrows(IOException.class, () -> AgentIdentity.choose(agent, null));
        assertEquals("ssh-agent holds no usable key (ed25519, ecdsa or RSA of at least 2048 bits)", e.getMessage());
    }

    @Test
    void reportsARefusalToSign() throws Exception {
        SshPublicKey notHeld = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.NONE).publicKey();

        IOException e = assertThrows(IOException.class, () -> new AgentIdentity(agent, notHeld).sign(DATA));
        assertEquals("ssh-agent refused to sign with " + notHeld.fingerprint(), e.getMessage());
    }

    @Test
    void reportsASocketWithNothingListening() throws IOException {
        Path missing = dir.resolve("missing.sock");
        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(stale)).close();

        for (Path socket : List.of(missing, stale)) {
            IOException e = assertThrows(IOException.class, () -> SshAgent.at(socket).identities());
            assertTrue(e.getMessage().startsWith("cannot reach ssh-agent at " + socket + ": "), e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        }
    }

    @Test
    void refusesAnAnswerOverTheLengthLimit() throws Exception {
        byte[] header = ByteBuffer.allocate(4).putInt(SshAgent.MAX_ANSWER_LENGTH + 1).array();
        assertMalformed(header, "length 262145 is not within 1..262144");
    }

    @Test
    void refusesAnEmptyAnswer() throws Exception {
        assertMalformed(new byte[4], "length 0 is not within 1..262144");
    }

    @Test
    void refusesAnAnswerCutShort() throws Exception {
        assertMalformed(new byte[] {0, 0, 0, 9, SshAgent.SSH_AGENT_IDENTITIES_ANSWER},
                "the connection closed after 1 of 9 bytes");
    }

    @Test
    void refusesAnAnswerOfTheWrongType() throws Exception {
        assertMalformed(frame(SshAgent.SSH_AGENT_SIGN_RESPONSE, new byte[0]), "message type 14 where 12 was expected");
    }

    @Test
    void refusesAKeyListLongerThanItsAnswer() throws Exception {
        assertMalformed(frame(SshAgent.SSH_AGENT_IDENTITIES_ANSWER, new byte[] {0, 0, 0, 1}),
                "truncated: 4 bytes needed, 0 left");
    }

    @Test
    void refusesASignatureThatDoesNotVerify() throws Exception {
        SshPublicKey key = SshPrivateKey.load(keys.file("ed25519"), PassphraseSource.NONE).publicKey();
        byte[] signature = new SshBlobWriter().writeText("ssh-ed25519").writeString(new byte[64]).toByteArray();
        Path socket = dir.resolve("fake.sock");
        Thread fake = answerOnce(socket, frame(SshAgent.SSH_AGENT_SIGN_RESPONSE,
                new SshBlobWriter().writeString(signature).toByteArray()));

        IOException e = assertThrows(IOException.class, () -> SshAgent.at(socket).sign(key, DATA));
        assertEquals("ssh-agent sent a ssh-ed25519 signature that does not verify with " + key.fingerprint(),
                e.getMessage());
        fake.join(DEADLINE.toMillis());
    }

    /** A fake agent answers the key-list request with {@code answer}, which the client must refuse. */
    private void assertMalformed(byte[] answer, String detail) throws Exception {
        Path socket = dir.resolve("fake.sock");
        Thread fake = answerOnce(socket, answer);

        IOException e = assertThrows(IOException.class, () -> SshAgent.at(socket).identities());
        assertEquals("ssh-agent sent a malformed answer: " + detail, e.getMessage());
        fake.join(DEADLINE.toMillis());
    }

    /** Listens on {@code socket}, reads one request, writes {@code answer} and closes. */
    private static Thread answerOnce(Path socket, byte[] answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> {
            try (server; SocketChannel client = server.accept()) {
                ByteBuffer length = ByteBuffer.allocate(4);
                while (length.hasRemaining() && client.read(length) >= 0) {
                    continue;
                }
                ByteBuffer request = ByteBuffer.allocate(length.flip().getInt());
                while (request.hasRemaining() && client.read(request) >= 0) {
                    continue;
                }
                client.write(ByteBuffer.wrap(answer));
            } catch (IOException e) {
                // The client's assertion reports what went wrong; this fake has nothing to add.
            }
        }, "fake-ssh-agent-" + socket.getFileName());
        thread.start();
        return thread;
    }

    private static byte[] frame(byte type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put(type).put(payload).array();
    }

    /** Adds fixture {@code name} to the agent with the real ssh-add. */
    private void add(String name) throws Exception {
        running.add(keys.file(name));
    }

    private String fingerprint(String name) {
        try {
            return SshPrivateKey.load(keys.file(name), PassphraseSource.NONE).publicKey().fingerprint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
