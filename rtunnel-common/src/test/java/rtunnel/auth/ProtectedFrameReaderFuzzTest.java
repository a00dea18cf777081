package rtunnel.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.PayloadBuilder;
import rtunnel.protocol.PayloadDecoders;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RealFrames;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzInput;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * After the handshake, under {@code aes256-gcm} or {@code hmac-sha256}, whatever arrives is a frame that
 * opens and decodes, or a {@link ProtocolException}: a failed tag, a cut, a bad length or type, a bad payload.
 * Memory stays in proportion to what arrived, encrypted bulk frames included. Random bytes never carry a
 * valid tag, so an input describes frames, which the test seals under the session key as the peer would:
 * a protection (byte 0: even for AES-GCM, odd for HMAC), then records of a kind (0: sealed; 1: sealed, then
 * one byte changed; 2: raw bytes, unsealed), and for kinds 0 and 1 a type byte, a stream id and a payload.
 */
class ProtectedFrameReaderFuzzTest {

    private static final byte[] KEY = RealFrames.filled(ProtectionMode.KEY_LENGTH, 0x5A);
    private static final int SEALED = 0;
    private static final int TAMPERED = 1;
    private static final int RAW = 2;

    @MethodSource("sealedTraffic")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyFramesUnderAKeyOpenAndDecodeOrAreRefused(byte[] input) throws Exception {
        FuzzInput fields = new FuzzInput(input);
        ProtectionMode mode = ProtectionMode.values()[fields.u8() % 2];
        byte[] wire = wire(mode.create(KEY), fields);
        Allocation.atMost(FuzzLimits.readingAndDecoding(wire.length), "opening and decoding", () -> readAll(mode, wire));
    }

    private static void readAll(ProtectionMode mode, byte[] wire) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire), new FrameBuffers(2));
        reader.protectWith(mode.create(KEY));
        try {
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                PayloadDecoders.decode(frame);
                frame.release();
            }
        } catch (ProtocolException documented) {
            // What read documents for a frame that fails its tag, is cut or has a bad length or type.
        }
    }

    /** The bytes the records in {@code fields} describe, sealed in order by {@code sender}. */
    private static byte[] wire(FrameProtection sender, FuzzInput fields) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        while (fields.remaining() > 0) {
            int kind = fields.u8() % 3;
            if (kind == RAW) {
                wire.writeBytes(fields.bytes16());
                continue;
            }
            byte[] frame = SealedFrames.seal(sender, fields.u8(), fields.u32(), fields.bytes16());
            if (kind == TAMPERED) {
                frame[fields.u16() % frame.length] ^= 1;
            }
            wire.writeBytes(frame);
        }
        return wire.toByteArray();
    }

    static Stream<Arguments> sealedTraffic() {
        Seeds seeds = new Seeds(Seeds.FOR_CODECS);
        for (ProtectionMode mode : ProtectionMode.values()) {
            seeds.add(mode.wireName() + ", every frame", session(mode, -1));
            seeds.add(mode.wireName() + ", the third frame changed", session(mode, 2));
            PayloadBuilder cut = new PayloadBuilder().u8(mode.ordinal());
            record(cut, SEALED, RealFrames.all().get(0));
            seeds.add(mode.wireName() + ", then a frame cut short",
                    cut.u8(RAW).bytes16(new byte[] {0, 0, 0, 5, 0x21, 0, 0, 0, 1, 'h'}).toByteArray());
        }
        return seeds.stream();
    }

    /** Every real frame, sealed in a row; the one at {@code tampered} (if any) changed in its first payload byte. */
    private static byte[] session(ProtectionMode mode, int tampered) {
        PayloadBuilder input = new PayloadBuilder().u8(mode.ordinal());
        int index = 0;
        for (Frame frame : RealFrames.all()) {
            record(input, index++ == tampered ? TAMPERED : SEALED, frame);
        }
        return input.toByteArray();
    }

    private static void record(PayloadBuilder input, int kind, Frame frame) {
        input.u8(kind).u8(frame.type().code()).u32(frame.streamId()).bytes16(frame.payload());
        if (kind == TAMPERED) {
            input.u16(9);
        }
    }
}
