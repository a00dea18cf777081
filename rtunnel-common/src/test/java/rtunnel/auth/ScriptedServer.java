package rtunnel.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.RealFrames;
import rtunnel.protocol.ServerHello;
import rtunnel.testing.FuzzInput;

/**
 * A server played from a fuzzer's input against the real client. It answers the client's real CLIENT_HELLO
 * with its own ephemeral key, the host key, the first protection offered and a real signature over the
 * transcript, so the client gets past its checks, and then one frame sealed under the agreed keys; each flag
 * below puts fuzzed bytes in place of one of those. An input is the flags, the nonce, the replaced parts in
 * the order of the flags ({@code bytes[32]} for the key, {@code bytes16} for the others), the last frame's
 * type byte and payload ({@code bytes16}), then bytes sent after it.
 */
final class ScriptedServer {

    static final int FUZZED_EPHEMERAL_KEY = 1;
    static final int FUZZED_PROTECTION = 2;
    static final int FUZZED_HOST_KEY = 4;
    static final int FUZZED_SIGNATURE = 8;
    /** SERVER_HELLO says a client key is required. */
    static final int KEY_REQUIRED = 16;
    /** The last frame goes without a tag, as if the server had not switched to the keys. */
    static final int UNSEALED = 32;

    private final FuzzInput fields;
    private final int flags;
    private final KeyExchange keyExchange = new KeyExchange(HandshakeSides.fixedRandom("scripted server"));

    ScriptedServer(FuzzInput fields) {
        this.fields = fields;
        this.flags = fields.u8();
    }

    /** The connection's far end: everything at once, as soon as the client has sent its CLIENT_HELLO. */
    ScriptedPeer peer() {
        return new ScriptedPeer(List.of(this::answer));
    }

    private byte[] answer(byte[] heard) throws IOException {
        FrameReader client = new FrameReader(new ByteArrayInputStream(heard));
        client.readPreamble();
        ClientHello hello = ClientHello.from(client.read());
        byte[] nonce = fields.bytes(ClientHello.NONCE_LENGTH);
        byte[] ephemeralKey = has(FUZZED_EPHEMERAL_KEY) ? fields.bytes(ClientHello.KEY_LENGTH) : keyExchange.publicKey();
        String protection = has(FUZZED_PROTECTION) ? new String(fields.bytes16(), StandardCharsets.UTF_8)
                : hello.protections().get(0);
        SshPrivateKey hostKey = HandshakeSides.HOST_KEY;
        byte[] hostBlob = has(FUZZED_HOST_KEY) ? fields.bytes16() : hostKey.publicKey().blob();
        ServerHello unsigned = new ServerHello(nonce, ephemeralKey, protection, has(KEY_REQUIRED), hostBlob, new byte[0]);
        byte[] transcript = Transcript.hash(hello, unsigned);
        byte[] signature = has(FUZZED_SIGNATURE) ? fields.bytes16() : hostKey.sign(Transcript.serverSigned(transcript));
        ServerHello answer = new ServerHello(nonce, ephemeralKey, protection, has(KEY_REQUIRED), hostBlob, signature);
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        said.writeBytes(RealFrames.wire(List.of(answer.toFrame())));
        said.writeBytes(SealedFrames.seal(sealing(protection, hello, transcript), fields.u8(), 0, fields.bytes16()));
        said.writeBytes(fields.rest());
        return said.toByteArray();
    }

    /** What seals the last frame: the server-to-client key, unless unsealed or the protection is unknown. */
    private FrameProtection sealing(String protection, ClientHello hello, byte[] transcript) throws IOException {
        Optional<ProtectionMode> mode = ProtectionMode.named(protection);
        if (has(UNSEALED) || mode.isEmpty()) {
            return FrameProtection.NONE;
        }
        byte[] secret = keyExchange.sharedSecret(hello.ephemeralKey());
        return SessionKeys.derive(mode.get(), secret, transcript).serverToClient();
    }

    private boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
