package rtunnel.auth;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.ProtocolException;

/**
 * Integrity without secrecy: each frame carries HMAC-SHA256 over the direction's 64-bit sequence number,
 * the header and the payload. The sequence number is never sent; both sides count, so a replayed, dropped
 * or reordered frame fails like a changed one.
 */
final class HmacSha256Protection implements FrameProtection {

    static final String NAME = "hmac-sha256";
    private static final int TAG_LENGTH = 32;

    private final Mac mac;
    private final byte[] sequenceBytes = new byte[8];
    private final byte[] expected = new byte[TAG_LENGTH];
    private long sequence;

    HmacSha256Protection(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    @Override
    public int tagLength() {
        return TAG_LENGTH;
    }

    @Override
    public void seal(byte[] frame, int length) {
        tag(frame, length, frame, length);
    }

    @Override
    public void open(byte[] frame, int length) throws ProtocolException {
        long number = sequence;
        tag(frame, length, expected, 0);
        if (!tagMatches(frame, length)) {
            throw new ProtocolException("frame " + number + " failed its integrity check");
        }
    }

    /** Constant-time comparison, so timing reveals nothing about how much of a forged tag was right. */
    private boolean tagMatches(byte[] frame, int offset) {
        int difference = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            difference |= frame[offset + i] ^ expected[i];
        }
        return difference == 0;
    }

    private void tag(byte[] frame, int length, byte[] out, int outOffset) {
        long number = sequence++;
        for (int i = 7; i >= 0; i--) {
            sequenceBytes[i] = (byte) number;
            number >>>= 8;
        }
        mac.update(sequenceBytes);
        mac.update(frame, 0, length);
        try {
            mac.doFinal(out, outOffset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("frame buffer leaves no room for the tag", e);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
