package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ProtocolException;

/**
 * HMAC-SHA256 frame protection. The expected keys and tags were computed with OpenSSL 3.0, independently of
 * this code:
 * <pre>
 * openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:000102..1f -kdfopt hexsalt:202122..3f \
 *     -kdfopt info:"rtunnel v1 client to server" HKDF
 * printf '0000000000000000 000000052100000001 68656c6c6f' | xxd -r -p \
 *     | openssl dgst -sha256 -mac HMAC -macopt hexkey:36192c39..6e2f
 * </pre>
 */
class FrameProtectionTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SECRET = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] TRANSCRIPT = HEX.parseHex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    private static final String CLIENT_TO_SERVER_KEY = "36192c39f526482bddc7e6f7dc5ea44197a7115a870677f5b5ddeb7a34806e2f";
    private static final String SERVER_TO_CLIENT_KEY = "b45a8a07d800cf0ecb37597f0e1a9267acd3c94169e4a1a03cc6f38daaad7ce2";
    /** DATA on stream 1 carrying "hello": header then payload, the bytes the tag covers after the sequence. */
    private static final String HELLO_FRAME = "00000005" + "21" + "00000001" + "68656c6c6f";
    private static final String TAG_AT_SEQUENCE_0 = "127dd415100bb65e8265f1d51fb1f5d9275b28267172b7dffe2504a72d16010d";
    private static final String TAG_AT_SEQUENCE_1 = "5b30a7d517ae0ec72d6f53e22ff2df96c7d3707fd48c4fa4557b271adadee463";
    private static final int SEALED_LENGTH = 9 + 5;

    @Test
    void eachDirectionsKeyIsHkdfSha256OfTheSecretSaltedWithTheTranscript() {
        assertEquals(CLIENT_TO_SERVER_KEY, HEX.formatHex(SessionKeys.expand(SECRET, TRANSCRIPT, "rtunnel v1 client to server")));
        assertEquals(SERVER_TO_CLIENT_KEY, HEX.formatHex(SessionKeys.expand(SECRET, TRANSCRIPT, "rtunnel v1 server to client")));
    }

    @Test
    void tagIsHmacOfTheSequenceNumberHeaderAndPayload() throws IOException {
        FrameProtection sender = protection();

        assertEquals(HELLO_FRAME + TAG_AT_SEQUENCE_0, HEX.formatHex(sealed(sender)));
        assertEquals(HELLO_FRAME + TAG_AT_SEQUENCE_1, HEX.formatHex(sealed(sender)));
    }

    @Test
    void sealedFramesReadBackThroughTheReader() throws IOException {
        byte[] wire = HEX.parseHex(HELLO_FRAME + TAG_AT_SEQUENCE_0 + HELLO_FRAME + TAG_AT_SEQUENCE_1);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));
        reader.protectWith(protection());

        for (int i = 0; i < 2; i++) {
            Frame frame = reader.read();
            assertEquals(FrameType.DATA, frame.type());
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), frame.payload());
        }
        assertEquals(2, reader.framesRead());
    }

    @Test
    void flippingAnySingleBitOfHeaderPayloadOrTagFailsTheCheck() throws IOException {
        byte[] original = sealed(protection());

        for (int bit = 0; bit < original.length * 8; bit++) {
            byte[] changed = original.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            FrameProtection receiver = protection();

            ProtocolException e = assertThrows(ProtocolException.class, () -> receiver.open(changed, SEALED_LENGTH),
                    "bit " + bit + " flipped");
            assertEquals("frame 0 failed its integrity check", e.getMessage());
        }
    }

    @Test
    void replayedFrameFailsTheSecondTime() throws IOException {
        byte[] frame = sealed(protection());
        FrameProtection receiver = protection();

        receiver.open(frame.clone(), SEALED_LENGTH);

        assertEquals("frame 1 failed its integrity check",
                assertThrows(ProtocolException.class, () -> receiver.open(frame.clone(), SEALED_LENGTH)).getMessage());
    }

    @Test
    void reorderedFramesFail() throws IOException {
        FrameProtection sender = protection();
        byte[] first = sealed(sender);
        byte[] second = sealed(sender);
        FrameProtection receiver = protection();

        assertEquals("frame 0 failed its integrity check",
                assertThrows(ProtocolException.class, () -> receiver.open(second, SEALED_LENGTH)).getMessage());
        assertEquals("frame 1 failed its integrity check",
                assertThrows(ProtocolException.class, () -> receiver.open(first, SEALED_LENGTH)).getMessage());
    }

    @Test
    void frameSealedForOneDirectionDoesNotOpenInTheOther() throws IOException {
        SessionKeys keys = SessionKeys.derive(ProtectionMode.HMAC_SHA256, SECRET, TRANSCRIPT);
        byte[] fromClient = sealed(keys.clientToServer());

        assertEquals("frame 0 failed its integrity check", assertThrows(ProtocolException.class,
                () -> keys.serverToClient().open(fromClient, SEALED_LENGTH)).getMessage());
    }

    @Test
    void frameCutInsideItsTagIsATruncatedFrame() {
        byte[] wire = HEX.parseHex(HELLO_FRAME + TAG_AT_SEQUENCE_0.substring(0, 62));
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));
        reader.protectWith(protection());

        assertEquals("connection closed inside a frame (36 of 37 bytes after the header)",
                assertThrows(ProtocolException.class, reader::read).getMessage());
    }

    @Test
    void noProtectionAddsNoTag() throws IOException {
        assertEquals(HELLO_FRAME, HEX.formatHex(sealed(FrameProtection.NONE)));
    }

    private static FrameProtection protection() {
        return ProtectionMode.HMAC_SHA256.create(HEX.parseHex(CLIENT_TO_SERVER_KEY));
    }

    /** The wire bytes of the "hello" DATA frame sealed by {@code protection} at its next sequence number. */
    private static byte[] sealed(FrameProtection protection) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out);
        writer.protectWith(protection);
        writer.write(Frame.of(FrameType.DATA, 1, "hello".getBytes(StandardCharsets.US_ASCII)));
        writer.flush();
        return out.toByteArray();
    }
}
