package rtunnel.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.RealFrames;
import rtunnel.protocol.SessionError;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * The server's handshake fed any bytes as the client's side of the connection: it ends in a session or a
 * documented failure, quickly and within memory in proportion to what arrived. The server runs with its
 * flags 0 (open, default protections) and a fixed random source, so the seeds, recorded from
 * {@link ServerHandshakeScriptedFuzzTest}'s clients, replay whole handshakes, AUTH's tag included.
 */
class ServerHandshakeFuzzTest {

    @MethodSource("recordedClients")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyClientBytesEndInASessionOrADocumentedFailure(byte[] clientBytes) throws Exception {
        Allocation.atMost(FuzzLimits.HANDSHAKE_CRYPTO + FuzzLimits.readingAndDecoding(clientBytes.length),
                "a server handshake", () -> HandshakeSides.serve(HandshakeSides.server(0),
                        new ByteArrayInputStream(clientBytes), new ByteArrayOutputStream()));
    }

    static Stream<Arguments> recordedClients() throws Exception {
        Seeds seeds = new Seeds(Seeds.FOR_CRYPTO);
        byte[] token = RealFrames.filled(AuthRequest.TOKEN_LENGTH, 0x33);
        byte[] signed = ServerHandshakeScriptedFuzzTest.run(ServerHandshakeScriptedFuzzTest.client(0,
                FuzzedClient.OWN_KEY | FuzzedClient.SIGNS, 0, "aes256-gcm,hmac-sha256", token));
        seeds.add("a whole handshake, Ed25519 client", signed);
        byte[] hmac = ServerHandshakeScriptedFuzzTest.run(ServerHandshakeScriptedFuzzTest.client(0,
                FuzzedClient.OWN_KEY | FuzzedClient.SIGNS, 1, "hmac-sha256", token));
        seeds.add("a whole handshake, ECDSA client, integrity only", hmac);
        int helloEnd = Protocol.PREAMBLE_LENGTH + Protocol.HEADER_LENGTH
                + new BigInteger(1, Arrays.copyOfRange(signed, Protocol.PREAMBLE_LENGTH, Protocol.PREAMBLE_LENGTH + 4)).intValue();
        seeds.add("CLIENT_HELLO, then nothing", Arrays.copyOf(signed, helloEnd));
        seeds.add("ERROR instead of CLIENT_HELLO", RealFrames.wire(List.of(
                new SessionError(null, "bad things").toFrame())));
        seeds.add("GOAWAY instead of CLIENT_HELLO", RealFrames.wire(List.of(Frame.empty(FrameType.GOAWAY, 0))));
        return seeds.stream();
    }
}
