package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static rtunnel.protocol.WireBytes.hex;
import static rtunnel.protocol.WireBytes.readOne;
import static rtunnel.protocol.WireBytes.written;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LISTEN, LISTEN_OK, LISTEN_REFUSED and ERROR: golden bytes, and the exact error for malformed payloads. */
class SessionMessagesTest {

    @Test
    void listenOnAllInterfacesHasTheExactBytesAndReadsBack() throws IOException {
        ListenRequest request = new ListenRequest(7, new HostPort("", 4000));
        // tunnel 7, empty host (length 0), port 4000 = 0x0fa0.
        String wire = "00000008 10 00000000 00000007 0000 0fa0";

        assertEquals(hex(wire), written(request.toFrame()));
        assertEquals(request, ListenRequest.from(readOne(wire)));
    }

    @Test
    void listenOnANamedHostHasTheExactBytesAndReadsBack() throws IOException {
        ListenRequest request = new ListenRequest(1, new HostPort("example.com", 19050));
        // 4 + 2 + 11 + 2 = 19 = 0x13; port 19050 = 0x4a6a.
        String wire = "00000013 10 00000000 00000001 000b 6578616d706c652e636f6d 4a6a";

        assertEquals(hex(wire), written(request.toFrame()));
        assertEquals(request, ListenRequest.from(readOne(wire)));
    }

    @Test
    void listenOkHasTheExactBytesAndReadsBack() throws IOException {
        ListenAccepted accepted = new ListenAccepted(7, new HostPort("0.0.0.0", 41234));
        // 4 + 2 + 7 + 2 = 15 = 0x0f; port 41234 = 0xa112.
        String wire = "0000000f 11 00000000 00000007 0007 302e302e302e30 a112";

        assertEquals(hex(wire), written(accepted.toFrame()));
        assertEquals(accepted, ListenAccepted.from(readOne(wire)));
    }

    @Test
    void listenRefusedHasTheExactBytesAndReadsBack() throws IOException {
        ListenRefused refused = new ListenRefused(7, Refusal.PORT_IN_USE, "busy");
        String wire = "00000009 12 00000000 00000007 02 62757379";

        assertEquals(hex(wire), written(refused.toFrame()));
        assertEquals(refused, ListenRefused.from(readOne(wire)));
    }

    @Test
    void errorWithoutRefusalCarriesCodeZero() throws IOException {
        SessionError error = new SessionError(null, "bad");
        String wire = "00000004 3f 00000000 00 626164";

        assertEquals(hex(wire), written(error.toFrame()));
        assertEquals(error, SessionError.from(readOne(wire)));
    }

    @Test
    void errorWithRefusalCarriesTheRefusalCode() throws IOException {
        SessionError error = new SessionError(Refusal.AUTHENTICATION, "no key");
        String wire = "00000007 3f 00000000 04 6e6f206b6579";

        assertEquals(hex(wire), written(error.toFrame()));
        assertEquals(error, SessionError.from(readOne(wire)));
    }

    @ParameterizedTest
    @CsvSource({"PORT_NOT_ALLOWED, 1", "PORT_IN_USE, 2", "ADDRESS_UNAVAILABLE, 3", "AUTHENTICATION, 4", "LIMIT, 5",
        "BAD_REQUEST, 6"})
    void refusalCodesAreFixed(Refusal refusal, int code) throws ProtocolException {
        assertEquals(code, refusal.code());
        assertEquals(refusal, Refusal.fromCode(code));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | LISTEN payload too short: needs a 32-bit number at offset 0 of 0",
        "000000                      | LISTEN payload too short: needs a 32-bit number at offset 0 of 3",
        "00000007                    | LISTEN payload too short: needs a 16-bit number at offset 4 of 4",
        "00000007 0003 6162          | LISTEN payload too short: needs 3 bytes at offset 6 of 8",
        "00000007 0000               | LISTEN payload too short: needs a 16-bit number at offset 6 of 6",
        "00000007 0000 0f            | LISTEN payload too short: needs a 16-bit number at offset 6 of 7",
        "00000007 0000 0fa0 00       | LISTEN payload has 1 unexpected bytes at the end",
        "00000007 0001 ff 0fa0       | LISTEN payload has text that is not UTF-8",
    })
    void malformedListenIsRefused(String payload, String message) {
        Frame frame = frame(FrameType.LISTEN, payload);

        assertEquals(message, assertThrows(ProtocolException.class, () -> ListenRequest.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | LISTEN_OK payload too short: needs a 32-bit number at offset 0 of 0",
        "00000007 0000               | LISTEN_OK payload too short: needs a 16-bit number at offset 6 of 6",
        "00000007 0000 0fa0 0000     | LISTEN_OK payload has 2 unexpected bytes at the end",
        "00000007 0002 c0af 0fa0     | LISTEN_OK payload has text that is not UTF-8",
    })
    void malformedListenOkIsRefused(String payload, String message) {
        Frame frame = frame(FrameType.LISTEN_OK, payload);

        assertEquals(message, assertThrows(ProtocolException.class, () -> ListenAccepted.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | LISTEN_REFUSED payload too short: needs a 32-bit number at offset 0 of 0",
        "00000007                    | LISTEN_REFUSED payload too short: needs a byte at offset 4 of 4",
        "00000007 00 6e6f            | unknown refusal code 0",
        "00000007 07 6e6f            | unknown refusal code 7",
        "00000007 ff                 | unknown refusal code 255",
        "00000007 01 eda080          | LISTEN_REFUSED payload has text that is not UTF-8",
    })
    void malformedListenRefusedIsRefused(String payload, String message) {
        Frame frame = frame(FrameType.LISTEN_REFUSED, payload);

        assertEquals(message, assertThrows(ProtocolException.class, () -> ListenRefused.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | ERROR payload too short: needs a byte at offset 0 of 0",
        "07 6e6f                     | unknown refusal code 7",
        "00 ff                       | ERROR payload has text that is not UTF-8",
        "04 c3                       | ERROR payload has text that is not UTF-8",
    })
    void malformedErrorIsRefused(String payload, String message) {
        Frame frame = frame(FrameType.ERROR, payload);

        assertEquals(message, assertThrows(ProtocolException.class, () -> SessionError.from(frame)).getMessage());
    }

    @Test
    void errorWithAnEmptyReasonIsAllowed() throws ProtocolException {
        assertEquals(new SessionError(null, ""), SessionError.from(frame(FrameType.ERROR, "00")));
    }

    private static Frame frame(FrameType type, String payload) {
        return WireBytes.frame(type, Protocol.SESSION_STREAM, payload);
    }
}
