package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.ServerHello;
import rtunnel.protocol.SessionError;

/** A client never goes on with a server that has not proven its host key over this very handshake. */
class ClientHandshakeTest {

    private static final byte[] SOME_X25519_KEY = java.util.HexFormat.of()
            .parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    /** What a server said: its preamble and one SERVER_HELLO. */
    private static byte[] serverSaying(ServerHello hello) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes);
        writer.writePreamble();
        writer.write(hello.toFrame());
        writer.flush();
        return bytes.toByteArray();
    }

    private static ProtocolException clientFails(byte[] server, SshPrivateKey clientKey) {
        FrameExchange exchange = new FrameExchange(new FrameReader(new ByteArrayInputStream(server)),
                new FrameWriter(new ByteArrayOutputStream()));
        ClientHandshake handshake = new ClientHandshake(new SecureRandom(), new byte[16], clientKey, null);
        return assertThrows(ProtocolException.class, () -> handshake.run(exchange));
    }

    @Test
    void aServerWithoutAHostKeyIsRefusedEvenByAClientWithAKey() throws Exception {
        ServerHello unauthenticated = new ServerHello(new byte[32], SOME_X25519_KEY, "aes256-gcm", false,
                new byte[0], new byte[0]);
        ProtocolException refused = clientFails(serverSaying(unauthenticated), Fixtures.privateKey("ed25519"));
        assertEquals("server did not prove its identity (no host key)", refused.getMessage());
    }

    @Test
    void aHostKeySignatureOverAnotherTranscriptIsRefused() throws Exception {
        SshPrivateKey hostKey = Fixtures.privateKey("ed25519");
        byte[] signedSomethingElse = hostKey.sign(Transcript.serverSigned(new byte[32]));
        ServerHello replayed = new ServerHello(new byte[32], SOME_X25519_KEY, "aes256-gcm", false,
                hostKey.publicKey().blob(), signedSomethingElse);
        ProtocolException refused = clientFails(serverSaying(replayed), null);
        assertEquals("server host key " + hostKey.publicKey().fingerprint() + " signature does not verify",
                refused.getMessage());
    }

    @Test
    void aServerChoosingAProtectionTheClientDidNotOfferIsRefused() throws Exception {
        ServerHello odd = new ServerHello(new byte[32], SOME_X25519_KEY, "rot13", false, new byte[0], new byte[0]);
        assertEquals("server chose frame protection 'rot13', which this client did not offer",
                clientFails(serverSaying(odd), null).getMessage());
    }

    @Test
    void aRefusalBeforeTheHostKeyIsProvenIsNotTakenAsTheServersWordButABusyDoorIs() throws Exception {
        ByteArrayOutputStream refusing = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(refusing);
        writer.writePreamble();
        writer.write(new SessionError(Refusal.AUTHENTICATION, "key SHA256:x is not authorized").toFrame());
        writer.flush();
        assertEquals("server refused the connection before proving its host key: key SHA256:x is not authorized",
                clientFails(refusing.toByteArray(), null).getMessage());

        ByteArrayOutputStream full = new ByteArrayOutputStream();
        writer = new FrameWriter(full);
        writer.writePreamble();
        writer.write(new SessionError(Refusal.LIMIT, "server is full (1000 clients)").toFrame());
        writer.flush();
        FrameExchange exchange = new FrameExchange(new FrameReader(new ByteArrayInputStream(full.toByteArray())),
                new FrameWriter(new ByteArrayOutputStream()));
        RefusedException busy = assertThrows(RefusedException.class,
                () -> new ClientHandshake(new SecureRandom(), new byte[16], null, null).run(exchange));
        assertEquals(Refusal.LIMIT, busy.refusal());
    }

    @Test
    void aWrongServerIsToldApartByItsFirstBytes() {
        byte[] sshBanner = "SSH-2.0-OpenSSH_9.2\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("peer is not speaking rtunnel (first bytes \"SSH-2.0-\")", clientFails(sshBanner, null).getMessage());
    }
}
