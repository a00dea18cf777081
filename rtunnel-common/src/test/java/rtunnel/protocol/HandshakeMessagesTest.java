package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rtunnel.protocol.WireBytes.hex;
import static rtunnel.protocol.WireBytes.readOne;
import static rtunnel.protocol.WireBytes.written;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CLIENT_HELLO, SERVER_HELLO and AUTH: golden bytes, and the exact error for every malformed payload. */
class HandshakeMessagesTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String BYTES_00_TO_1F = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String BYTES_20_TO_3F = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
    private static final String BYTES_40_TO_4F = "404142434445464748494a4b4c4d4e4f";
    private static final String BYTES_50_TO_6F = "505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f";
    private static final String BYTES_70_TO_8F = "707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f";
    /** "hmac-sha256" with its 16-bit length. */
    private static final String HMAC_SHA256 = "000b 686d61632d736861323536";

    @Test
    void clientHelloHasTheExactBytesAndReadsBack() throws IOException {
        ClientHello hello = new ClientHello(counting(0x00, 32), counting(0x20, 32), List.of("hmac-sha256", "x"));
        // 32 + 32 + 2 + 13 = 79 = 0x4f payload bytes; "hmac-sha256,x" is 13 bytes. No client token.
        String wire = "0000004f 01 00000000" + BYTES_00_TO_1F + BYTES_20_TO_3F + "000d 686d61632d7368613235362c78";

        assertEquals(hex(wire), written(hello.toFrame()));

        ClientHello read = ClientHello.from(readOne(wire));
        assertArrayEquals(hello.nonce(), read.nonce());
        assertArrayEquals(hello.ephemeralKey(), read.ephemeralKey());
        assertEquals(hello.protections(), read.protections());
    }

    @Test
    void serverHelloWithoutHostKeyHasTheExactBytesAndReadsBack() throws IOException {
        ServerHello hello = new ServerHello(counting(0x50, 32), counting(0x70, 32), "hmac-sha256", false,
                new byte[0], new byte[0]);
        // 32 + 32 + 13 + 1 + 2 + 2 = 82 = 0x52: flags 0, then an empty host key and an empty signature.
        String wire = "00000052 02 00000000" + BYTES_50_TO_6F + BYTES_70_TO_8F + HMAC_SHA256 + "00 0000 0000";

        assertEquals(hex(wire), written(hello.toFrame()));
        assertServerHelloEquals(hello, ServerHello.from(readOne(wire)));
    }

    @Test
    void serverHelloWithHostKeySignsEverythingButTheSignature() throws IOException {
        ServerHello hello = new ServerHello(counting(0x50, 32), counting(0x70, 32), "hmac-sha256", true,
                new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}, new byte[] {(byte) 0xdd, (byte) 0xee});
        String signed = BYTES_50_TO_6F + BYTES_70_TO_8F + HMAC_SHA256 + "01 0003 aabbcc";
        // 77 + 1 + 5 + 4 = 87 = 0x57.
        String wire = "00000057 02 00000000" + signed + "0002 ddee";

        assertEquals(hex(wire), written(hello.toFrame()));
        assertEquals(hex(signed), HEX.formatHex(hello.signedBytes()));
        assertServerHelloEquals(hello, ServerHello.from(readOne(wire)));
    }

    @Test
    void anonymousAuthIsTheTokenAndTwoEmptyFields() throws IOException {
        // 16 + 2 + 2 = 20 = 0x14.
        String wire = "00000014 03 00000000" + BYTES_40_TO_4F + "0000 0000";

        assertEquals(hex(wire), written(AuthRequest.anonymous(counting(0x40, 16)).toFrame()));

        AuthRequest read = AuthRequest.from(readOne(wire));
        assertTrue(read.isAnonymous());
        assertArrayEquals(counting(0x40, 16), read.clientToken());
        assertArrayEquals(new byte[0], read.signature());
    }

    @Test
    void authWithKeyHasTheExactBytesAndReadsBack() throws IOException {
        AuthRequest auth = new AuthRequest(counting(0x40, 16), new byte[] {1, 2, 3}, new byte[] {4, 5});
        // 16 + 5 + 4 = 25 = 0x19.
        String wire = "00000019 03 00000000" + BYTES_40_TO_4F + "0003 010203 0002 0405";

        assertEquals(hex(wire), written(auth.toFrame()));

        AuthRequest read = AuthRequest.from(readOne(wire));
        assertArrayEquals(auth.clientToken(), read.clientToken());
        assertArrayEquals(auth.publicKey(), read.publicKey());
        assertArrayEquals(auth.signature(), read.signature());
    }

    @Test
    void authRetryIsTheReasonAsTextAndReadsBackSafe() throws IOException {
        // "key x" is 5 bytes.
        String wire = "00000005 05 00000000 6b65792078";

        assertEquals(hex(wire), written(new AuthRetry("key x").toFrame()));
        assertEquals(new AuthRetry("key x"), AuthRetry.from(readOne(wire)));
        assertEquals(new AuthRetry("a\\x1bb"), AuthRetry.from(readOne("00000003 05 00000000 611b62")));
        assertEquals("AUTH_RETRY payload has text that is not UTF-8", assertThrows(ProtocolException.class,
                () -> AuthRetry.from(readOne("00000001 05 00000000 c3"))).getMessage());
    }

    /** {@code fixed} counting bytes (nonce, key) followed by {@code rest}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0  | ''                         | CLIENT_HELLO payload too short: needs 32 bytes at offset 0 of 0",
        "31 | ''                         | CLIENT_HELLO payload too short: needs 32 bytes at offset 0 of 31",
        "63 | ''                         | CLIENT_HELLO payload too short: needs 32 bytes at offset 32 of 63",
        "64 | ''                         | CLIENT_HELLO payload too short: needs a 16-bit number at offset 64 of 64",
        "64 | 000b 686d6163              | CLIENT_HELLO payload too short: needs 11 bytes at offset 66 of 70",
        "64 | 000b 686d61632d736861323536 00 | CLIENT_HELLO payload has 1 unexpected bytes at the end",
        "64 | 0002 c328                  | CLIENT_HELLO payload has text that is not UTF-8",
    })
    void malformedClientHelloIsRefused(int fixed, String rest, String message) {
        Frame frame = Frame.of(FrameType.CLIENT_HELLO, 0, concat(counting(0, fixed), HEX.parseHex(hex(rest))));

        assertEquals(message, assertThrows(ProtocolException.class, () -> ClientHello.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0  | ''                                       | SERVER_HELLO payload too short: needs 32 bytes at offset 0 of 0",
        "64 | ''                                       | SERVER_HELLO payload too short: needs a 16-bit number at offset 64 of 64",
        "64 | 000b 686d61632d736861323536              | SERVER_HELLO payload too short: needs a byte at offset 77 of 77",
        "64 | 000b 686d61632d736861323536 02 0000 0000 | SERVER_HELLO has unknown flags 2",
        "64 | 000b 686d61632d736861323536 81 0000 0000 | SERVER_HELLO has unknown flags 129",
        "64 | 000b 686d61632d736861323536 00           | SERVER_HELLO payload too short: needs a 16-bit number at offset 78 of 78",
        "64 | 000b 686d61632d736861323536 00 0002 aa   | SERVER_HELLO payload too short: needs 2 bytes at offset 80 of 81",
        "64 | 000b 686d61632d736861323536 00 0000      | SERVER_HELLO payload too short: needs a 16-bit number at offset 80 of 80",
        "64 | 000b 686d61632d736861323536 00 0000 0000 ff | SERVER_HELLO payload has 1 unexpected bytes at the end",
        "64 | 0002 fffe 00 0000 0000                   | SERVER_HELLO payload has text that is not UTF-8",
    })
    void malformedServerHelloIsRefused(int fixed, String rest, String message) {
        Frame frame = Frame.of(FrameType.SERVER_HELLO, 0, concat(counting(0, fixed), HEX.parseHex(hex(rest))));

        assertEquals(message, assertThrows(ProtocolException.class, () -> ServerHello.from(frame)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''             | AUTH payload too short: needs 16 bytes at offset 0 of 0",
        "40414243       | AUTH payload too short: needs 16 bytes at offset 0 of 4",
        "TOKEN          | AUTH payload too short: needs a 16-bit number at offset 16 of 16",
        "TOKEN 0003 0102 | AUTH payload too short: needs 3 bytes at offset 18 of 20",
        "TOKEN 0000     | AUTH payload too short: needs a 16-bit number at offset 18 of 18",
        "TOKEN 0000 0001 | AUTH payload too short: needs 1 bytes at offset 20 of 20",
        "TOKEN 0000 0000 00 | AUTH payload has 1 unexpected bytes at the end",
        "TOKEN 0001 aa 0000 ffff | AUTH payload has 2 unexpected bytes at the end",
    })
    void malformedAuthIsRefused(String payload, String message) {
        Frame frame = Frame.of(FrameType.AUTH, 0, HEX.parseHex(hex(payload.replace("TOKEN", BYTES_40_TO_4F))));

        assertEquals(message, assertThrows(ProtocolException.class, () -> AuthRequest.from(frame)).getMessage());
    }

    private static void assertServerHelloEquals(ServerHello expected, ServerHello actual) {
        assertArrayEquals(expected.nonce(), actual.nonce());
        assertArrayEquals(expected.ephemeralKey(), actual.ephemeralKey());
        assertEquals(expected.protection(), actual.protection());
        assertEquals(expected.keyRequired(), actual.keyRequired());
        assertArrayEquals(expected.hostKey(), actual.hostKey());
        assertArrayEquals(expected.signature(), actual.signature());
    }

    private static byte[] counting(int first, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
