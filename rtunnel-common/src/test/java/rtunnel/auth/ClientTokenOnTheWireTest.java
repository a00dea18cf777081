package rtunnel.auth;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.testing.FaultyRelay;

/**
 * The client token proves, on a server without authorized keys, that a reconnecting client owns its ports:
 * it travels in AUTH, the first protected frame, never in the clear hello. These tests capture what the
 * client sends through a relay socket and search it for the token's bytes.
 */
@Timeout(30)
class ClientTokenOnTheWireTest {

    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;
    private static final byte[] TOKEN = HexFormat.of().parseHex("d1ce7a11c0ffee5eed5a1e0fba5eba11");

    @Test
    void anEncryptedHandshakeNeverShowsTheToken() throws Exception {
        byte[] sent = clientBytesOfAHandshake(ProtectionMode.DEFAULT);

        assertEquals(-1, indexOf(sent, TOKEN), "the token in the clear at some offset");
        assertTokenNotIn(clientHelloPayload(sent));
    }

    @Test
    void withoutEncryptionTheTokenIsReadableInAuthButNotInTheHello() throws Exception {
        // --no-encryption leaves every payload readable, AUTH's included: docs/security.md says so.
        byte[] sent = clientBytesOfAHandshake(ProtectionMode.INTEGRITY_ONLY);

        assertTrue(indexOf(sent, TOKEN) >= 0, "AUTH travels in the clear without encryption");
        assertTokenNotIn(clientHelloPayload(sent));
    }

    /** Runs a handshake through a relay and returns what the client sent; the server must have got the token. */
    private static byte[] clientBytesOfAHandshake(List<ProtectionMode> offered) throws Exception {
        SshPrivateKey hostKey = Fixtures.privateKey("ed25519");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                FaultyRelay relay = new FaultyRelay(listener.getLocalPort());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            CompletableFuture<HandshakeResult> server = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = listener.accept()) {
                    return new ServerHandshake(new SecureRandom(), hostKey, ClientAdmission.OPEN)
                            .run(exchange(accepted));
                } catch (IOException e) {
                    throw new IllegalStateException("the server's handshake failed", e);
                }
            });
            new ClientHandshake(new SecureRandom(), TOKEN, List.of(), ServerTrust.pinned(List.of()), offered)
                    .run(exchange(client));

            assertArrayEquals(TOKEN, server.get(10, SECONDS).clientToken());
            return relay.clientBytes();
        }
    }

    private static byte[] clientHelloPayload(byte[] sent) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(sent));
        reader.readPreamble();
        Frame hello = reader.read();
        assertEquals(FrameType.CLIENT_HELLO, hello.type());
        return hello.payload();
    }

    private static void assertTokenNotIn(byte[] helloPayload) {
        assertEquals(-1, indexOf(helloPayload, TOKEN), "the token in CLIENT_HELLO");
    }

    private static FrameExchange exchange(Socket socket) throws IOException {
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return new FrameExchange(new FrameReader(socket.getInputStream()), new FrameWriter(socket.getOutputStream()));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
