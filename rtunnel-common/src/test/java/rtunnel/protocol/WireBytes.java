package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;

/** Frames to and from the hex the golden-byte tests write (spaces allowed between fields). */
final class WireBytes {

    private static final HexFormat HEX = HexFormat.of();

    private WireBytes() {
    }

    /** {@code spaced} without its spaces. */
    static String hex(String spaced) {
        return spaced.replace(" ", "");
    }

    /** A frame whose payload is the hex {@code payload}. */
    static Frame frame(FrameType type, int streamId, String payload) {
        return Frame.of(type, streamId, HEX.parseHex(hex(payload)));
    }

    /** The bytes a {@link FrameWriter} without protection puts on the wire for {@code frame}, as hex. */
    static String written(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(frame);
        writer.flush();
        return HEX.formatHex(out.toByteArray());
    }

    /** A reader over the hex {@code wire}. */
    static FrameReader reader(String wire) {
        return new FrameReader(new ByteArrayInputStream(HEX.parseHex(hex(wire))));
    }

    /** The one frame in {@code wire}; fails if bytes are left after it. */
    static Frame readOne(String wire) throws IOException {
        FrameReader reader = reader(wire);
        Frame frame = reader.read();
        assertNull(reader.read(), "bytes left after the frame");
        return frame;
    }
}
