package rtunnel.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.PayloadBuilder;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.SessionError;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzInput;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * The client's handshake against a {@link ScriptedServer} that proves the host key over the real transcript
 * and seals its last frame under the agreed keys, so the fuzzer works on SERVER_HELLO's fields, the host key
 * and signature checks, pinning, and the frame that ends the handshake. Whatever the server says, the
 * handshake ends in a session or a documented failure, quickly and within memory in proportion to what
 * arrived. An input is the client's flags ({@link HandshakeSides}), then the server's.
 */
class ClientHandshakeScriptedFuzzTest {

    @MethodSource("servers")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyServerFieldsEndInASessionOrADocumentedFailure(byte[] input) throws Exception {
        Allocation.atMost(FuzzLimits.HANDSHAKE_CRYPTO + FuzzLimits.readingAndDecoding(input.length), "a client handshake",
                () -> run(input));
    }

    /** Plays the handshake {@code input} describes; returns what the server said, a raw seed for the client. */
    static byte[] run(byte[] input) throws Exception {
        FuzzInput fields = new FuzzInput(input);
        ClientHandshake client = HandshakeSides.client(fields.u8());
        ScriptedPeer server = new ScriptedServer(fields).peer();
        HandshakeSides.connect(client, server, server.towardsPeer());
        return server.said();
    }

    static Stream<Arguments> servers() {
        Seeds seeds = new Seeds(Seeds.FOR_CRYPTO);
        byte[] authOk = last(FrameType.AUTH_OK.code(), new byte[0]);
        seeds.add("a server that admits the client", server(0, 0, new PayloadBuilder(), authOk));
        seeds.add("a pinned server that admits a client without a key",
                server(HandshakeSides.ANONYMOUS | HandshakeSides.PINS_HOST_KEY, ScriptedServer.KEY_REQUIRED,
                        new PayloadBuilder(), authOk));
        seeds.add("a server that refuses the client's key", server(0, 0, new PayloadBuilder(), last(FrameType.ERROR.code(),
                new SessionError(Refusal.AUTHENTICATION, "key SHA256:x is not authorized").toFrame().payload())));
        seeds.add("a server whose key is not the pinned one", server(HandshakeSides.PINS_ANOTHER_KEY, 0,
                new PayloadBuilder(), authOk));
        seeds.add("a server that proves nothing", server(0, ScriptedServer.FUZZED_HOST_KEY | ScriptedServer.FUZZED_SIGNATURE,
                new PayloadBuilder().bytes16(new byte[0]).bytes16(new byte[0]), authOk));
        seeds.add("a server choosing a protection never offered", server(HandshakeSides.OFFERS_INTEGRITY_ONLY,
                ScriptedServer.FUZZED_PROTECTION, new PayloadBuilder().string16("aes256-gcm"), authOk));
        seeds.add("a server with a low-order X25519 key", server(0, ScriptedServer.FUZZED_EPHEMERAL_KEY,
                new PayloadBuilder().bytes(new byte[32]), authOk));
        seeds.add("a server whose AUTH_OK has no tag", server(0, ScriptedServer.UNSEALED, new PayloadBuilder(), authOk));
        return seeds.stream();
    }

    /** The input for a client with {@code clientFlags} and a server with {@code serverFlags} and the rest. */
    static byte[] server(int clientFlags, int serverFlags, PayloadBuilder replacedParts, byte[] last) {
        return new PayloadBuilder().u8(clientFlags).u8(serverFlags).bytes(new byte[ClientHello.NONCE_LENGTH])
                .bytes(replacedParts.toByteArray()).bytes(last).toByteArray();
    }

    private static byte[] last(int typeCode, byte[] payload) {
        return new PayloadBuilder().u8(typeCode).bytes16(payload).toByteArray();
    }
}
