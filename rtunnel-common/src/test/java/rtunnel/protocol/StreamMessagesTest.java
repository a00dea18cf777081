package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static rtunnel.protocol.WireBytes.hex;
import static rtunnel.protocol.WireBytes.readOne;
import static rtunnel.protocol.WireBytes.written;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OPEN, WINDOW and RESET: golden bytes, and the exact error for malformed payloads. */
class StreamMessagesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void openWithAnIpv4VisitorHasTheExactBytesAndReadsBack() throws IOException {
        InetSocketAddress visitor = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 5}),
                51234);
        StreamOpen open = new StreamOpen(5, 7, visitor);
        // tunnel 7, family 4, 203.0.113.5, port 51234 = 0xc822: 4 + 1 + 4 + 2 = 11 = 0x0b.
        String wire = "0000000b 20 00000005 00000007 04 cb007105 c822";

        assertEquals(hex(wire), written(open.toFrame()));
        assertEquals(open, StreamOpen.from(readOne(wire)));
    }

    @Test
    void openWithAnIpv6VisitorHasTheExactBytesAndReadsBack() throws IOException {
        InetSocketAddress visitor = new InetSocketAddress(InetAddress.getByAddress(HEX.parseHex(
                "20010db8000000000000000000000001")), 443);
        StreamOpen open = new StreamOpen(6, 7, visitor);
        // tunnel 7, family 6, 2001:db8::1, port 443 = 0x01bb: 4 + 1 + 16 + 2 = 23 = 0x17.
        String wire = "00000017 20 00000006 00000007 06 20010db8000000000000000000000001 01bb";

        assertEquals(hex(wire), written(open.toFrame()));
        assertEquals(open, StreamOpen.from(readOne(wire)));
    }

    @Test
    void windowHasTheExactBytesAndReadsBack() throws IOException {
        WindowUpdate update = new WindowUpdate(5, 256 * 1024);
        String wire = "00000004 22 00000005 00040000";

        assertEquals(hex(wire), written(update.toFrame()));
        assertEquals(update, WindowUpdate.from(readOne(wire)));
    }

    @Test
    void largestWindowIncrementIsAccepted() throws ProtocolException {
        assertEquals(new WindowUpdate(5, Integer.MAX_VALUE), WindowUpdate.from(frame(FrameType.WINDOW, "7fffffff")));
    }

    @Test
    void resetHasTheExactBytesAndItsReasonIsUtf8() throws IOException {
        StreamReset reset = new StreamReset(5, "café");
        String wire = "00000005 24 00000005 636166c3a9";

        assertEquals(hex(wire), written(reset.toFrame()));
        assertEquals(reset, StreamReset.from(readOne(wire)));
    }

    @Test
    void resetWithAnEmptyReasonIsAllowed() throws ProtocolException {
        assertEquals(new StreamReset(5, ""), StreamReset.from(frame(FrameType.RESET, "")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                | OPEN payload too short: needs a 32-bit number at offset 0 of 0",
        "00000007                                          | OPEN payload too short: needs a byte at offset 4 of 4",
        "00000007 05 cb007105 c822                         | OPEN address family 5 is neither 4 nor 6",
        "00000007 00                                       | OPEN address family 0 is neither 4 nor 6",
        "00000007 04 cb0071                                | OPEN payload too short: needs 4 bytes at offset 5 of 8",
        "00000007 06 cb007105 c822                         | OPEN payload too short: needs 16 bytes at offset 5 of 11",
        "00000007 04 cb007105                              | OPEN payload too short: needs a 16-bit number at offset 9 of 9",
        "00000007 04 cb007105 c822 00                      | OPEN payload has 1 unexpected bytes at the end",
        "00000007 06 20010db8000000000000000000000001 01bb 0000 | OPEN payload has 2 unexpected bytes at the end",
    })
    void malformedOpenIsRefused(String payload, String message) {
        Frame frame = frame(FrameType.OPEN, payload);

        assertEquals(message, assertThrows(ProtocolException.class, () -> StreamOpen.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "00000000    | WINDOW increment 0 on stream 5 is not between 1 and 2147483647",
        "80000000    | WINDOW increment 2147483648 on stream 5 is not between 1 and 2147483647",
        "ffffffff    | WINDOW increment 4294967295 on stream 5 is not between 1 and 2147483647",
        "''          | WINDOW payload too short: needs a 32-bit number at offset 0 of 0",
        "000100      | WINDOW payload too short: needs a 32-bit number at offset 0 of 3",
        "00000001 00 | WINDOW payload has 1 unexpected bytes at the end",
    })
    void malformedWindowIsRefused(String payload, String message) {
        Frame frame = frame(FrameType.WINDOW, payload);

        assertEquals(message, assertThrows(ProtocolException.class, () -> WindowUpdate.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource({"ff", "c3", "c0af", "eda080", "f4908080"})
    void resetReasonThatIsNotUtf8IsRefused(String payload) {
        Frame frame = frame(FrameType.RESET, payload);

        assertEquals("RESET payload has text that is not UTF-8",
                assertThrows(ProtocolException.class, () -> StreamReset.from(frame)).getMessage());
    }

    private static Frame frame(FrameType type, String payload) {
        return WireBytes.frame(type, 5, payload);
    }
}
