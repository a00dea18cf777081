package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/** AES-256-GCM frames: golden vectors from an independent implementation, and every way a frame can be spoiled. */
class AesGcmProtectionTest {

    private static final HexFormat HEX = HexFormat.of();
    /** Key bytes 00..1f. */
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    /** DATA, stream 1, payload "hello". */
    private static final String HEADER = "0000000521" + "00000001";

    /** A DATA frame on stream 1 carrying "hello", laid out as the writer lays it out (header, payload, room). */
    private static byte[] helloFrame() {
        byte[] frame = new byte[Frame.bufferSize(5)];
        System.arraycopy(HEX.parseHex(HEADER), 0, frame, 0, Protocol.HEADER_LENGTH);
        System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, frame, Protocol.HEADER_LENGTH, 5);
        return frame;
    }

    private static byte[] sealed(FrameProtection protection) throws ProtocolException {
        byte[] frame = helloFrame();
        protection.seal(frame, Protocol.HEADER_LENGTH + 5);
        return Arrays.copyOf(frame, Protocol.HEADER_LENGTH + 5 + protection.tagLength());
    }

    @Test
    void sealingMatchesAnIndependentImplementation() throws Exception {
        // Expected values computed with Python's cryptography package:
        // AESGCM(key).encrypt(bytes(4) + seq.to_bytes(8, 'big'), b"hello", header)
        FrameProtection sender = ProtectionMode.AES256_GCM.create(KEY);
        assertEquals(HEADER + "66d9d9b2da5c51e69d16edd530cfa9f488475504fc", HEX.formatHex(sealed(sender)));
        assertEquals(HEADER + "7db3d3902b34d8262bcb9b1642dba3e2f95bcf981d", HEX.formatHex(sealed(sender)),
                "the second frame uses sequence number 1");
    }

    @Test
    void openingRestoresThePayloadInPlace() throws Exception {
        byte[] wire = sealed(ProtectionMode.AES256_GCM.create(KEY));
        byte[] frame = Arrays.copyOf(wire, Frame.bufferSize(5));
        ProtectionMode.AES256_GCM.create(KEY).open(frame, Protocol.HEADER_LENGTH + 5);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOfRange(frame, Protocol.HEADER_LENGTH, Protocol.HEADER_LENGTH + 5));
    }

    @Test
    void openingIntoAnotherBufferLeavesTheSealedFrameAlone() throws Exception {
        byte[] wire = sealed(ProtectionMode.AES256_GCM.create(KEY));
        byte[] frame = Arrays.copyOf(wire, Frame.bufferSize(5));
        byte[] into = new byte[Frame.bufferSize(5)];

        ProtectionMode.AES256_GCM.create(KEY).open(frame, into, Protocol.HEADER_LENGTH + 5);

        assertEquals(HEADER + HEX.formatHex("hello".getBytes(StandardCharsets.US_ASCII)),
                HEX.formatHex(into, 0, Protocol.HEADER_LENGTH + 5));
        assertArrayEquals(wire, Arrays.copyOf(frame, wire.length));
    }

    @Test
    void openingIntoAnotherBufferRefusesAFlippedBit() throws Exception {
        byte[] frame = Arrays.copyOf(sealed(ProtectionMode.AES256_GCM.create(KEY)), Frame.bufferSize(5));
        frame[Protocol.HEADER_LENGTH + 2] ^= 1;
        FrameProtection receiver = ProtectionMode.AES256_GCM.create(KEY);

        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> receiver.open(frame, new byte[Frame.bufferSize(5)], Protocol.HEADER_LENGTH + 5));

        assertEquals("frame 0 failed its integrity check", refused.getMessage());
    }

    @Test
    void thePayloadDoesNotAppearInTheSealedFrame() throws Exception {
        String wire = new String(sealed(ProtectionMode.AES256_GCM.create(KEY)), StandardCharsets.ISO_8859_1);
        assertFalse(wire.contains("hello"));
    }

    @Test
    void everyFlippedBitIsRefused() throws Exception {
        byte[] wire = sealed(ProtectionMode.AES256_GCM.create(KEY));
        for (int bit = 0; bit < wire.length * 8; bit++) {
            byte[] frame = Arrays.copyOf(wire, Frame.bufferSize(5));
            frame[bit / 8] ^= (byte) (1 << (bit % 8));
            FrameProtection receiver = ProtectionMode.AES256_GCM.create(KEY);
            ProtocolException refused = assertThrows(ProtocolException.class,
                    () -> receiver.open(frame, Protocol.HEADER_LENGTH + 5), "bit " + bit);
            assertEquals("frame 0 failed its integrity check", refused.getMessage());
        }
    }

    @Test
    void aReplayedOrReorderedFrameIsRefused() throws Exception {
        FrameProtection sender = ProtectionMode.AES256_GCM.create(KEY);
        byte[] first = sealed(sender);
        byte[] second = sealed(sender);

        FrameProtection replayed = ProtectionMode.AES256_GCM.create(KEY);
        replayed.open(Arrays.copyOf(first, Frame.bufferSize(5)), Protocol.HEADER_LENGTH + 5);
        assertEquals("frame 1 failed its integrity check", assertThrows(ProtocolException.class,
                () -> replayed.open(Arrays.copyOf(first, Frame.bufferSize(5)), Protocol.HEADER_LENGTH + 5)).getMessage());

        FrameProtection reordered = ProtectionMode.AES256_GCM.create(KEY);
        assertEquals("frame 0 failed its integrity check", assertThrows(ProtocolException.class,
                () -> reordered.open(Arrays.copyOf(second, Frame.bufferSize(5)), Protocol.HEADER_LENGTH + 5)).getMessage());
    }

    @Test
    void eachDirectionHasItsOwnKey() throws Exception {
        byte[] secret = new byte[32];
        SessionKeys keys = SessionKeys.derive(ProtectionMode.AES256_GCM, secret, new byte[32]);
        byte[] fromClient = helloFrame();
        keys.clientToServer().seal(fromClient, Protocol.HEADER_LENGTH + 5);
        SessionKeys same = SessionKeys.derive(ProtectionMode.AES256_GCM, secret, new byte[32]);
        assertThrows(ProtocolException.class, () -> same.serverToClient().open(fromClient, Protocol.HEADER_LENGTH + 5),
                "a frame sealed for one direction does not open in the other");
    }
}
