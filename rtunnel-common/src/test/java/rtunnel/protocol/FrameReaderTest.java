package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static rtunnel.protocol.WireBytes.readOne;
import static rtunnel.protocol.WireBytes.written;
import static rtunnel.protocol.WireBytes.reader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The frame layout (length u32, type u8, stream id u32, payload) and every way a frame can be cut or bloated. */
class FrameReaderTest {

    private static final HexFormat HEX = HexFormat.of();

    /** Frame types whose payload is opaque or empty, so they have no message record. */
    @ParameterizedTest(name = "{0} on stream {1}")
    @CsvSource({
        "DATA,    00000005, 68656c6c6f,       00000005 21 00000005 68656c6c6f",
        "DATA,    fffffffe, ff,               00000001 21 fffffffe ff",
        "DATA,    00000001, '',               00000000 21 00000001",
        "FIN,     00000005, '',               00000000 23 00000005",
        "PING,    00000000, 0102030405060708, 00000008 30 00000000 0102030405060708",
        "PONG,    00000000, 0102030405060708, 00000008 31 00000000 0102030405060708",
        "GOAWAY,  00000000, '',               00000000 32 00000000",
        "AUTH_OK, 00000000, '',               00000000 04 00000000",
    })
    void bareFrameHasTheExactBytesAndReadsBack(FrameType type, String streamId, String payload, String wire)
            throws IOException {
        int id = Integer.parseUnsignedInt(streamId, 16);

        assertEquals(wire.replace(" ", ""), written(Frame.of(type, id, HEX.parseHex(payload))));

        Frame read = readOne(wire);
        assertEquals(type, read.type());
        assertEquals(id, read.streamId());
        assertArrayEquals(HEX.parseHex(payload), read.payload());
    }

    @Test
    void payloadOfExactlyMaxPayloadIsAccepted() throws IOException {
        byte[] wire = new byte[Protocol.HEADER_LENGTH + Protocol.MAX_PAYLOAD];
        System.arraycopy(HEX.parseHex("00010000210000000b"), 0, wire, 0, Protocol.HEADER_LENGTH);

        Frame read = new FrameReader(new ByteArrayInputStream(wire)).read();

        assertEquals(65536, read.length());
        assertEquals(11, read.streamId());
    }

    /** Only a header arrives: the length must be refused before the reader allocates or waits for a payload. */
    @ParameterizedTest
    @CsvSource({
        "00010001 21 00000001, frame length 65537 exceeds 65536",
        "80000000 21 00000001, frame length 2147483648 exceeds 65536",
        "ffffffff 21 00000001, frame length 4294967295 exceeds 65536",
    })
    void giantLengthIsRefusedFromTheHeaderAlone(String header, String message) {
        assertEquals(message, readError(header));
    }

    @Test
    void writerRefusesToBuildAFrameAboveMaxPayload() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Frame.of(FrameType.DATA, 1, new byte[Protocol.MAX_PAYLOAD + 1]));

        assertEquals("payload length 65537 outside 0-65536", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "00000000 7f 00000000,      unknown frame type 0x7f",
        "00000000 00 00000000,      unknown frame type 0x00",
        "00000000 06 00000000,      unknown frame type 0x06",
        "00000002 ff 00000001 abcd, unknown frame type 0xff",
    })
    void unknownTypeIsRefusedWithItsCode(String wire, String message) {
        assertEquals(message, readError(wire));
    }

    @ParameterizedTest
    @CsvSource({
        "00,                 connection closed inside a frame header (1 of 9 bytes)",
        "000000,             connection closed inside a frame header (3 of 9 bytes)",
        "00000005 21 000000, connection closed inside a frame header (8 of 9 bytes)",
    })
    void truncatedHeaderSaysHowMuchArrived(String wire, String message) {
        assertEquals(message, readError(wire));
    }

    @ParameterizedTest
    @CsvSource({
        "00000005 21 00000001,          connection closed inside a frame (0 of 5 bytes after the header)",
        "00000005 21 00000001 6869,     connection closed inside a frame (2 of 5 bytes after the header)",
        "00000005 21 00000001 68656c6c, connection closed inside a frame (4 of 5 bytes after the header)",
    })
    void truncatedPayloadSaysHowMuchArrived(String wire, String message) {
        assertEquals(message, readError(wire));
    }

    @Test
    void cleanEndOfStreamBeforeAnyFrameIsNull() throws IOException {
        assertNull(reader("").read());
    }

    @Test
    void cleanEndOfStreamBetweenFramesIsNullAndStaysNull() throws IOException {
        FrameReader reader = reader("00000000 23 00000005 00000001 21 00000005 2a");

        assertEquals(FrameType.FIN, reader.read().type());
        assertEquals(FrameType.DATA, reader.read().type());
        assertNull(reader.read());
        assertNull(reader.read());
        assertEquals(2, reader.framesRead());
    }

    private static String readError(String wire) {
        return assertThrows(ProtocolException.class, () -> reader(wire).read()).getMessage();
    }
}
