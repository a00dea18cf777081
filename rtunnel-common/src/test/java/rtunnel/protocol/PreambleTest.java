package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreambleTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void preambleIsTheWordRtunnelThenVersionFour() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        writer.writePreamble();
        writer.flush();

        // 'r' 't' 'u' 'n' 'n' 'e' 'l' then the version byte 4.
        assertEquals("7274756e6e656c04", HEX.formatHex(out.toByteArray()));
    }

    @Test
    void readerAcceptsTheRightPreambleAndThenReadsFrames() throws IOException {
        FrameReader reader = readerOf(HEX.parseHex("7274756e6e656c04"));

        reader.readPreamble();

        assertNull(reader.read());
    }

    @Test
    void httpRequestIsNotRtunnel() {
        byte[] http = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertEquals("peer is not speaking rtunnel (first bytes \"GET / HT\")", preambleError(http));
    }

    @Test
    void tlsClientHelloIsNotRtunnelAndItsBytesAreEscaped() {
        // A TLS record header (handshake, TLS 1.0 record version, length 0x00f8) and a ClientHello start.
        byte[] tls = HEX.parseHex("16030100f8010000f40303");

        assertEquals("peer is not speaking rtunnel (first bytes \"\\x16\\x03\\x01\\x00\\xf8\\x01\\x00\\x00\")",
                preambleError(tls));
    }

    @Test
    void shortInputThatDiffersFromTheMagicIsNotRtunnel() {
        assertEquals("peer is not speaking rtunnel (first bytes \"rtx\")",
                preambleError("rtx".getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "7274756e6e656c03 | peer speaks rtunnel protocol version 3, this side speaks 4",
        "7274756e6e656c05 | peer speaks rtunnel protocol version 5, this side speaks 4",
        "7274756e6e656c00 | peer speaks rtunnel protocol version 0, this side speaks 4",
        "7274756e6e656cff | peer speaks rtunnel protocol version 255, this side speaks 4",
    })
    void otherVersionIsRefusedNamingBothVersions(String preamble, String message) {
        assertEquals(message, preambleError(HEX.parseHex(preamble)));
    }

    @Test
    void aPeerThatHangsUpAtOnceIsAnEndOfStreamNotAProtocolError() {
        // A server at its limit or a proxy with no backend: worth retrying, unlike a wrong protocol.
        EOFException closed = assertThrows(EOFException.class, () -> readerOf(new byte[0]).readPreamble());
        assertEquals("connection closed before the peer sent anything", closed.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "7274756e,       connection closed after 4 of 8 preamble bytes",
        "7274756e6e656c, connection closed after 7 of 8 preamble bytes",
    })
    void connectionClosedInsideThePreambleSaysHowFarItGot(String bytes, String message) {
        assertEquals(message, preambleError(HEX.parseHex(bytes)));
    }

    private static String preambleError(byte[] input) {
        return assertThrows(ProtocolException.class, () -> readerOf(input).readPreamble()).getMessage();
    }

    private static FrameReader readerOf(byte[] input) {
        return new FrameReader(new ByteArrayInputStream(input));
    }
}
