package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rtunnel.testing.Allocation;

/** Text a peer chose is made safe to print, cheaply: the peer decides how much of it is control characters. */
class PeerTextTest {

    /**
     * What FrameReaderFuzzTest found: ERROR frames whose reasons are mostly control characters. Escaping each
     * with {@code String.format} cost 0.5 to 2 KB per character, thousands of times the frame's size.
     */
    private static final String FUZZ_FINDING =
            "FrameReaderFuzzTestInputs/anyBytesAreFramesOrADocumentedError/crash-4d9e546e54a6c4755eb32d2937674ab155d80f2d";

    /** The escaped reason (at most 200 characters), its builder and the frame's decoded fields. */
    private static final long DECODING_AN_ERROR_FRAME = 4 * 1024;

    @Test
    void controlCharactersAreEscapedAsTwoHexDigits() {
        assertEquals("a\\x00b\\x7f\\x9f\\x0a\\x1b[31m", PeerText.safe("a\u0000b\u007f\u009f\n\u001b[31m"));
    }

    @Test
    void textIsCutAtTwoHundredCharactersEscapesIncluded() {
        assertEquals("\\x00".repeat(50) + "...", PeerText.safe("\u0000".repeat(1000)));
    }

    @Test
    void errorFramesFullOfControlCharactersDecodeWithoutAllocatingPerCharacter() throws Exception {
        List<Frame> frames = errorFrames();
        for (Frame frame : frames) {
            SessionError.from(frame);
        }
        for (Frame frame : frames) {
            Allocation.atMost(DECODING_AN_ERROR_FRAME, "decoding " + frame, () -> SessionError.from(frame));
        }
    }

    /** The ERROR frames of the fuzz finding, up to where it is cut. */
    private static List<Frame> errorFrames() throws IOException {
        byte[] wire;
        try (InputStream in = PeerTextTest.class.getResourceAsStream(FUZZ_FINDING)) {
            wire = in.readAllBytes();
        }
        // Found under protocol version 2, whose preamble the reader now refuses; the frames after it are the same.
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire, Protocol.PREAMBLE_LENGTH,
                wire.length - Protocol.PREAMBLE_LENGTH));
        List<Frame> frames = new ArrayList<>();
        try {
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                frames.add(frame);
            }
        } catch (ProtocolException cut) {
            // The finding ends inside a frame; the ERROR frames before it are what it is about.
        }
        assertEquals(7, frames.size(), "ERROR frames in the finding");
        return frames;
    }
}
