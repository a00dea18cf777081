package rtunnel.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzInput;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * Every payload decoder, fed any payload in a well-formed frame, so that the fuzzer spends its time inside
 * the decoders rather than on the framing: each decodes or throws the {@link ProtocolException} it
 * documents, within memory in proportion to the payload. An input is a frame type (an index into
 * {@link FrameType#values()}), a stream id and the payload.
 */
class PayloadFuzzTest {

    private static final FrameType[] TYPES = FrameType.values();

    @MethodSource("realPayloads")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyPayloadDecodesOrIsRefused(byte[] input) throws Exception {
        FuzzInput fields = new FuzzInput(input);
        FrameType type = TYPES[fields.u8() % TYPES.length];
        int streamId = fields.u32();
        byte[] payload = fields.rest();
        Frame frame = Frame.of(type, streamId, Arrays.copyOf(payload, Math.min(payload.length, Protocol.MAX_PAYLOAD)));
        Allocation.atMost(FuzzLimits.readingAndDecoding(frame.length()), "decoding " + type, () -> {
            try {
                PayloadDecoders.decode(frame);
            } catch (ProtocolException documented) {
                // Every decoder documents this for a payload that does not fit its fields.
            }
        });
    }

    static Stream<Arguments> realPayloads() {
        Seeds seeds = new Seeds(Seeds.FOR_CODECS);
        for (Frame frame : RealFrames.all()) {
            seeds.add(frame.toString(), new PayloadBuilder().u8(frame.type().ordinal()).u32(frame.streamId())
                    .bytes(frame.payload()).toByteArray());
        }
        return seeds.stream();
    }
}
