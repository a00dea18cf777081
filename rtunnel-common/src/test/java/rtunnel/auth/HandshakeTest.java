package rtunnel.auth;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.SessionError;

@Timeout(30)
class HandshakeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;
    private static final byte[] TOKEN = HEX.parseHex("404142434445464748494a4b4c4d4e4f");
    /** A valid X25519 public key (Alice's, RFC 7748 section 6.1), so hostile inputs are reproducible. */
    private static final byte[] PEER_KEY = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static SshPrivateKey hostKey;
    private static SshPrivateKey clientKey;

    @BeforeAll
    static void loadKeys() throws IOException {
        hostKey = Fixtures.privateKey("ed25519");
        clientKey = Fixtures.privateKey("ecdsa256");
    }

    @ParameterizedTest(name = "client with a key: {0}")
    @ValueSource(booleans = {false, true})
    void handshakeOverLoopbackAgreesKeysThatProtectFramesBothWays(boolean withKey) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
                Socket clientSocket = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket serverSocket = listener.accept()) {
            FrameExchange client = exchangeOver(clientSocket);
            FrameExchange server = exchangeOver(serverSocket);
            Outcome outcome = handshake(client, withKey ? clientKey : null, server,
                    withKey ? new OnlyKey(clientKey.publicKey()) : ClientAdmission.OPEN);

            assertArrayEquals(TOKEN, outcome.server().clientToken());
            assertEquals("aes256-gcm", outcome.server().protection(), "encryption is the default");
            assertEquals(withKey ? clientKey.publicKey() : null, outcome.server().clientKey());
            assertEquals(Fixtures.FINGERPRINTS.get("ed25519"), outcome.hostKey().fingerprint());
            client.send(Frame.of(FrameType.PING, 0, ascii("from the client")));
            assertFrame(FrameType.PING, "from the client", server.reader().read());
            server.send(Frame.of(FrameType.PONG, 0, ascii("from the server")));
            assertFrame(FrameType.PONG, "from the server", client.reader().read());
            assertEquals(3, server.reader().framesRead(), "CLIENT_HELLO, AUTH, PING");
            assertEquals(3, client.reader().framesRead(), "SERVER_HELLO, AUTH_OK, PONG");

            // A frame with a made-up tag, written past the client's protection, is refused by the server.
            clientSocket.getOutputStream().write(concat(HEX.parseHex("000000023000000000" + "6869"), new byte[32]));
            assertEquals("frame 2 failed its integrity check",
                    assertThrows(ProtocolException.class, () -> server.reader().read()).getMessage());
        }
    }

    /** What each side returned from a handshake that both finished. */
    private record Outcome(HandshakeResult server, SshPublicKey hostKey) {
    }

    /** Runs both sides of the handshake, each on its own thread, and waits for both. */
    private static Outcome handshake(FrameExchange client, ClientIdentity identity, FrameExchange server,
            ClientAdmission admission) throws Exception {
        FutureTask<HandshakeResult> serverSide = new FutureTask<>(
                () -> new ServerHandshake(new SecureRandom(), hostKey, admission).run(server));
        FutureTask<SshPublicKey> clientSide = new FutureTask<>(
                () -> new ClientHandshake(new SecureRandom(), TOKEN, identity, null).run(client).serverKey());
        Thread serverThread = new Thread(serverSide, "rtunnel-test-handshake-server");
        Thread clientThread = new Thread(clientSide, "rtunnel-test-handshake-client");
        serverThread.start();
        clientThread.start();
        try {
            return new Outcome(serverSide.get(10, SECONDS), clientSide.get(10, SECONDS));
        } finally {
            serverThread.join(SOCKET_TIMEOUT_MILLIS);
            clientThread.join(SOCKET_TIMEOUT_MILLIS);
        }
    }

    /** Admits one key and no one else. */
    private record OnlyKey(SshPublicKey allowed) implements ClientAdmission {
        @Override
        public boolean keyRequired() {
            return true;
        }

        @Override
        public AuthorizedKey admit(SshPublicKey key) throws RefusedException {
            if (key == null || !key.equals(allowed)) {
                throw ClientAdmission.refused("not the expected key");
            }
            return null;
        }
    }

    static Stream<Arguments> hostileInputs() throws IOException {
        byte[] random = new byte[64];
        new Random(7).nextBytes(random);
        byte[] hello = frame(hello(ProtectionMode.offered(), PEER_KEY));
        return Stream.of(
                arguments("random bytes", random, "peer is not speaking rtunnel (first bytes \"\\x99\\x17\\x0f\\xbb\\x184w\\xa3\")"),
                arguments("an HTTP request", ascii("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
                        "peer is not speaking rtunnel (first bytes \"GET / HT\")"),
                arguments("a TLS ClientHello", HEX.parseHex("16030100f8010000f40303" + "00".repeat(240)),
                        "peer is not speaking rtunnel (first bytes \"\\x16\\x03\\x01\\x00\\xf8\\x01\\x00\\x00\")"),
                arguments("AUTH first", concat(Protocol.preamble(), frame(AuthRequest.anonymous(TOKEN).toFrame())),
                        "expected CLIENT_HELLO but received AUTH"),
                arguments("an all-zero X25519 key", concat(Protocol.preamble(),
                        frame(hello(ProtectionMode.offered(), new byte[32]))), "peer's X25519 key is degenerate (low order)"),
                arguments("an AUTH with a made-up tag", validLookingInput(), "frame 0 failed its integrity check"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void serverEndsHostileHandshakesWithAnExactProtocolError(String what, byte[] input, String message) {
        Executable run = serverOn(input, new ByteArrayOutputStream());

        assertEquals(message, assertThrows(ProtocolException.class, run).getMessage());
    }

    @Test
    void aPeerHangingUpMidHandshakeIsAnEndOfStreamNotAProtocolError() throws IOException {
        // A restarting server or a proxy with no backend does this: worth a retry, unlike bad bytes.
        assertEquals("connection closed while waiting for CLIENT_HELLO", assertThrows(EOFException.class,
                serverOn(Protocol.preamble(), new ByteArrayOutputStream())).getMessage());
        byte[] helloThenNothing = concat(Protocol.preamble(), frame(hello(ProtectionMode.offered(), PEER_KEY)));
        assertEquals("connection closed while waiting for AUTH", assertThrows(EOFException.class,
                serverOn(helloThenNothing, new ByteArrayOutputStream())).getMessage());
    }

    @Test
    void clientOfferingNoKnownProtectionIsToldWhy() throws IOException {
        byte[] input = concat(Protocol.preamble(), frame(hello(List.of("nothing-we-know"), PEER_KEY)));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        String expected = "no common frame protection: client offers 'nothing-we-know', server accepts aes256-gcm,hmac-sha256";

        assertEquals(expected, assertThrows(ProtocolException.class, serverOn(input, sent)).getMessage());

        FrameReader answer = new FrameReader(new ByteArrayInputStream(sent.toByteArray()));
        answer.readPreamble();
        assertEquals(new SessionError(null, expected), SessionError.from(answer.read()));
        assertNull(answer.read());
    }

    @Test
    void randomAndMutatedInputsOnlyEverEndInAnIOException() throws IOException {
        Random random = new Random(0x7274756e6e656cL);
        byte[] valid = validLookingInput();
        for (int i = 0; i < 200; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomBytes(random, random.nextInt(300));
                case 1 -> concat(Protocol.preamble(), randomBytes(random, random.nextInt(300)));
                case 2 -> mutated(valid, random);
                default -> Arrays.copyOf(valid, random.nextInt(valid.length));
            };

            assertThrows(IOException.class, serverOn(input, new ByteArrayOutputStream()),
                    "input " + i + ": " + HEX.formatHex(input));
        }
    }

    /** Preamble, a good CLIENT_HELLO, then an AUTH whose tag is 32 zero bytes. */
    private static byte[] validLookingInput() throws IOException {
        byte[] auth = concat(frame(AuthRequest.anonymous(TOKEN).toFrame()), new byte[32]);
        return concat(Protocol.preamble(), frame(hello(ProtectionMode.offered(), PEER_KEY)), auth);
    }

    private static byte[] mutated(byte[] valid, Random random) {
        byte[] input = valid.clone();
        for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
            input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
        return input;
    }

    /** Runs a server handshake reading {@code input} and writing to {@code sent}. */
    private static Executable serverOn(byte[] input, ByteArrayOutputStream sent) {
        FrameExchange exchange = new FrameExchange(new FrameReader(new ByteArrayInputStream(input)), new FrameWriter(sent));
        return () -> new ServerHandshake(new SecureRandom(), hostKey, ClientAdmission.OPEN).run(exchange);
    }

    private static Frame hello(List<String> protections, byte[] key) {
        return new ClientHello(new byte[ClientHello.NONCE_LENGTH], key, protections).toFrame();
    }

    private static byte[] frame(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(frame);
        writer.flush();
        return out.toByteArray();
    }

    private static FrameExchange exchangeOver(Socket socket) throws IOException {
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return new FrameExchange(new FrameReader(new BufferedInputStream(socket.getInputStream())),
                new FrameWriter(new BufferedOutputStream(socket.getOutputStream())));
    }

    private static void assertFrame(FrameType type, String payload, Frame frame) {
        assertEquals(type, frame.type());
        assertArrayEquals(ascii(payload), frame.payload());
    }

    private static byte[] randomBytes(Random random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
