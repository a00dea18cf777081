package rtunnel.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.RealFrames;
import rtunnel.protocol.ServerHello;
import rtunnel.testing.FuzzInput;

/**
 * A client played from a fuzzer's input against the real server: its CLIENT_HELLO carries fuzzed fields, and
 * its AUTH is sealed under the keys that the server's real SERVER_HELLO agrees, so that fuzzed AUTH payloads
 * get past the integrity check to the key parser, the signature check and the admission rule. An input is
 * the flags below, a client key (an index into {@link HandshakeSides#CLIENT_KEYS}), the nonce and ephemeral
 * key, the offered protections ({@code bytes16}, as text), then AUTH: the token and a signature when it
 * signs, its whole payload otherwise.
 */
final class FuzzedClient {

    /** The ephemeral key is the script's own, not the input's, so the script can derive the session keys. */
    static final int OWN_KEY = 1;
    /** AUTH is a real one: the client key and its signature over this handshake's transcript. */
    static final int SIGNS = 2;

    private final FuzzInput fields;
    private final int flags;
    private final SshPrivateKey key;
    private final KeyExchange keyExchange = new KeyExchange(HandshakeSides.fixedRandom("scripted client"));
    private ClientHello hello;

    FuzzedClient(FuzzInput fields) {
        this.fields = fields;
        this.flags = fields.u8();
        this.key = HandshakeSides.CLIENT_KEYS.get(fields.u8() % HandshakeSides.CLIENT_KEYS.size());
    }

    /** The connection's far end: the preamble and CLIENT_HELLO at once, AUTH once SERVER_HELLO is there. */
    ScriptedPeer peer() {
        return new ScriptedPeer(List.of(heard -> hello(), this::auth));
    }

    private byte[] hello() {
        byte[] nonce = fields.bytes(ClientHello.NONCE_LENGTH);
        byte[] ephemeralKey = fields.bytes(ClientHello.KEY_LENGTH);
        String offer = new String(fields.bytes16(), StandardCharsets.UTF_8);
        hello = new ClientHello(nonce, (flags & OWN_KEY) != 0 ? keyExchange.publicKey() : ephemeralKey, List.of(offer));
        return RealFrames.wire(List.of(hello.toFrame()));
    }

    private byte[] auth(byte[] heard) throws IOException {
        FrameReader server = new FrameReader(new ByteArrayInputStream(heard));
        server.readPreamble();
        Frame frame = server.read();
        if (frame == null || frame.type() != FrameType.SERVER_HELLO) {
            throw new AssertionError("the server reads AUTH before it sent SERVER_HELLO: " + frame);
        }
        ServerHello answer = ServerHello.from(frame);
        byte[] transcript = Transcript.hash(hello, answer);
        ProtectionMode mode = ProtectionMode.named(answer.protection())
                .orElseThrow(() -> new AssertionError("the server chose an unknown protection " + answer.protection()));
        SessionKeys keys = SessionKeys.derive(mode, keyExchange.sharedSecret(answer.ephemeralKey()), transcript);
        byte[] payload = (flags & SIGNS) != 0 ? signedAuth(transcript).toFrame().payload() : fields.rest();
        return SealedFrames.seal(keys.clientToServer(), FrameType.AUTH.code(), 0, payload);
    }

    private AuthRequest signedAuth(byte[] transcript) {
        byte[] blob = key.publicKey().blob();
        return new AuthRequest(fields.bytes(AuthRequest.TOKEN_LENGTH), blob,
                key.sign(Transcript.clientSigned(transcript, blob)));
    }
}
