package rtunnel.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.PayloadBuilder;
import rtunnel.protocol.RealFrames;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.SessionError;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * The client's handshake fed any bytes as the server's side of the connection: it ends in a session or a
 * documented failure, quickly and within memory in proportion to what arrived. The client runs with its
 * flags 0 (an Ed25519 key, no pinning, default protections) and a fixed random source, so the seeds,
 * recorded from {@link ClientHandshakeScriptedFuzzTest}'s servers, replay whole handshakes, tags included.
 */
class ClientHandshakeFuzzTest {

    @MethodSource("recordedServers")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyServerBytesEndInASessionOrADocumentedFailure(byte[] serverBytes) throws Exception {
        Allocation.atMost(FuzzLimits.HANDSHAKE_CRYPTO + FuzzLimits.readingAndDecoding(serverBytes.length),
                "a client handshake", () -> HandshakeSides.connect(HandshakeSides.client(0),
                        new ByteArrayInputStream(serverBytes), new ByteArrayOutputStream()));
    }

    static Stream<Arguments> recordedServers() throws Exception {
        Seeds seeds = new Seeds(Seeds.FOR_CRYPTO);
        byte[] authOk = new PayloadBuilder().u8(FrameType.AUTH_OK.code()).bytes16(new byte[0]).toByteArray();
        seeds.add("a whole handshake", ClientHandshakeScriptedFuzzTest.run(
                ClientHandshakeScriptedFuzzTest.server(0, 0, new PayloadBuilder(), authOk)));
        byte[] refused = new PayloadBuilder().u8(FrameType.ERROR.code()).bytes16(
                new SessionError(Refusal.AUTHENTICATION, "key SHA256:x is not authorized").toFrame().payload()).toByteArray();
        seeds.add("a handshake refused after AUTH", ClientHandshakeScriptedFuzzTest.run(
                ClientHandshakeScriptedFuzzTest.server(0, 0, new PayloadBuilder(), refused)));
        seeds.add("a full server at the door", RealFrames.wire(List.of(
                new SessionError(Refusal.LIMIT, "server is full (1000 clients)").toFrame())));
        seeds.add("an SSH server", "SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
        return seeds.stream();
    }
}
