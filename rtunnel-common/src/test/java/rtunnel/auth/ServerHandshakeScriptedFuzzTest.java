package rtunnel.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.PayloadBuilder;
import rtunnel.protocol.RealFrames;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzInput;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * The server's handshake against a {@link FuzzedClient} that gets past the preamble, the framing and the
 * integrity check, so the fuzzer works on CLIENT_HELLO's fields, the protection choice and everything AUTH
 * reaches: the key parser, the signature check, the admission rule. Whatever the client says, the handshake
 * ends in a session or a documented failure, quickly and within memory in proportion to what arrived. An
 * input is the server's flags ({@link HandshakeSides}), then the client's.
 */
class ServerHandshakeScriptedFuzzTest {

    private static final String BOTH = "aes256-gcm,hmac-sha256";

    @MethodSource("clients")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyClientFieldsEndInASessionOrADocumentedFailure(byte[] input) throws Exception {
        Allocation.atMost(FuzzLimits.HANDSHAKE_CRYPTO + FuzzLimits.readingAndDecoding(input.length), "a server handshake",
                () -> run(input));
    }

    /** Plays the handshake {@code input} describes; returns what the client said, a raw seed for the server. */
    static byte[] run(byte[] input) throws Exception {
        FuzzInput fields = new FuzzInput(input);
        ServerHandshake server = HandshakeSides.server(fields.u8());
        ScriptedPeer client = new FuzzedClient(fields).peer();
        HandshakeSides.serve(server, client, client.towardsPeer());
        return client.said();
    }

    static Stream<Arguments> clients() {
        Seeds seeds = new Seeds(Seeds.FOR_CRYPTO);
        byte[] token = RealFrames.filled(AuthRequest.TOKEN_LENGTH, 0x33);
        int signs = FuzzedClient.OWN_KEY | FuzzedClient.SIGNS;
        seeds.add("an Ed25519 client on an open server", client(0, signs, 0, BOTH, token));
        seeds.add("an ECDSA client on a server with authorized keys",
                client(HandshakeSides.AUTHORIZED_KEYS_ONLY, signs, 1, BOTH, token));
        seeds.add("an RSA client on a server with authorized keys",
                client(HandshakeSides.AUTHORIZED_KEYS_ONLY, signs, 2, BOTH, token));
        byte[] anonymous = AuthRequest.anonymous(token).toFrame().payload();
        seeds.add("a client without a key on an open server", client(0, FuzzedClient.OWN_KEY, 0, BOTH, anonymous));
        seeds.add("a client without a key on a server with authorized keys",
                client(HandshakeSides.AUTHORIZED_KEYS_ONLY, FuzzedClient.OWN_KEY, 0, BOTH, anonymous));
        seeds.add("a client naming a key it cannot sign for", client(0, FuzzedClient.OWN_KEY, 0, BOTH,
                new AuthRequest(token, HandshakeSides.HOST_KEY.publicKey().blob(), RealFrames.filled(83, 7)).toFrame()
                        .payload()));
        seeds.add("integrity only, offered to a server that insists on encryption",
                client(2 << HandshakeSides.ACCEPTED_SHIFT, signs, 0, "hmac-sha256", token));
        seeds.add("a low-order X25519 key", client(0, FuzzedClient.SIGNS, 0, BOTH, token));
        return seeds.stream();
    }

    /** The input for a server with {@code serverFlags} and a client with {@code clientFlags} and the rest. */
    static byte[] client(int serverFlags, int clientFlags, int key, String offer, byte[] auth) {
        return new PayloadBuilder().u8(serverFlags).u8(clientFlags).u8(key).bytes(RealFrames.filled(32, 0x11))
                .bytes(new byte[32]).bytes16(offer.getBytes(StandardCharsets.UTF_8)).bytes(auth).toByteArray();
    }
}
