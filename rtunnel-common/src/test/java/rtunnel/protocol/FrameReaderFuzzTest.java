package rtunnel.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * Whatever a peer sends before the handshake has agreed keys, the reader either returns frames whose
 * payloads decode or fail with a {@link ProtocolException}, or reports the end of the connection; it
 * allocates in proportion to the bytes that arrived, never to what a length field claims, and it is quick.
 * Seeds: a preamble and real frames of every type, then the same with bad lengths, cut short and with
 * another version, each with its {@link Seeds mutants}.
 */
class FrameReaderFuzzTest {

    @MethodSource("realTraffic")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyBytesAreFramesOrADocumentedError(byte[] wire) throws Exception {
        Allocation.atMost(FuzzLimits.readingAndDecoding(wire.length), "reading and decoding", () -> readAll(wire));
    }

    /** Reads the preamble and then frames, decoding each as its receiver would, until the end or a failure. */
    private static void readAll(byte[] wire) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire), new FrameBuffers(2));
        try {
            reader.readPreamble();
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                PayloadDecoders.decode(frame);
                frame.release();
            }
        } catch (ProtocolException | EOFException documented) {
            // What readPreamble and read document for bytes that are not rtunnel, and the decoders for bad payloads.
        }
    }

    static Stream<Arguments> realTraffic() {
        Seeds seeds = new Seeds(Seeds.FOR_CODECS);
        for (Frame frame : RealFrames.all()) {
            seeds.add(frame.toString(), RealFrames.wire(List.of(frame)));
        }
        byte[] session = RealFrames.wire(RealFrames.all());
        seeds.add("every frame in a row", session);
        seeds.add("cut inside a frame", Arrays.copyOf(session, session.length / 2));
        seeds.add("cut inside the preamble", Arrays.copyOf(session, 5));
        seeds.add("length one above the limit", withLength(Protocol.MAX_PAYLOAD + 1));
        seeds.add("length 4294967295", withLength(-1));
        byte[] otherVersion = session.clone();
        otherVersion[Protocol.PREAMBLE_LENGTH - 1] = (byte) (Protocol.VERSION + 1);
        return seeds.add("another version", otherVersion).stream();
    }

    /** A real DATA frame whose length field says {@code length}. */
    private static byte[] withLength(int length) {
        byte[] wire = RealFrames.wire(List.of(Frame.of(FrameType.DATA, 1, new byte[16])));
        int at = Protocol.PREAMBLE_LENGTH;
        wire[at] = (byte) (length >>> 24);
        wire[at + 1] = (byte) (length >>> 16);
        wire[at + 2] = (byte) (length >>> 8);
        wire[at + 3] = (byte) length;
        return wire;
    }
}
