package rtunnel.auth;

import java.util.Arrays;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/**
 * Frames sealed as a peer holding the session key would seal them, with any type byte, even one no
 * {@link rtunnel.protocol.FrameType} has: the fuzz tests' way past the integrity check to what comes after it.
 */
final class SealedFrames {

    private SealedFrames() {
    }

    /** The wire bytes of a frame of {@code typeCode} carrying {@code payload}, sealed with {@code protection}. */
    static byte[] seal(FrameProtection protection, int typeCode, int streamId, byte[] payload) throws ProtocolException {
        int length = Math.min(payload.length, Protocol.MAX_PAYLOAD);
        byte[] frame = new byte[Frame.bufferSize(length)];
        writeInt(frame, 0, length);
        frame[4] = (byte) typeCode;
        writeInt(frame, 5, streamId);
        System.arraycopy(payload, 0, frame, Protocol.HEADER_LENGTH, length);
        protection.seal(frame, Protocol.HEADER_LENGTH + length);
        return Arrays.copyOf(frame, Protocol.HEADER_LENGTH + length + protection.tagLength());
    }

    private static void writeInt(byte[] bytes, int at, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >>> (24 - 8 * i));
        }
    }
}
