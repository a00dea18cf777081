package rtunnel.auth;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import rtunnel.protocol.FrameProtection;
import rtunnel.protocol.Protocol;
import rtunnel.protocol.ProtocolException;

/**
 * Confidentiality and integrity: AES-256-GCM over each frame's payload, with the header as additional
 * authenticated data and a 16-byte tag. The nonce is four zero bytes and the direction's 64-bit sequence
 * number, so it never repeats under a key (each direction has its own key), and a replayed, dropped or
 * reordered frame fails like a changed one.
 *
 * <p>AES-256 rather than AES-128: with AES-NI the cost difference is a few percent of a relay hop, and the
 * larger key keeps a comfortable margin against multi-target and future quantum attacks.
 */
final class AesGcmProtection implements FrameProtection {

    static final String NAME = "aes256-gcm";
    private static final int TAG_LENGTH = 16;
    private static final int NONCE_LENGTH = 12;

    /**
     * Frames one key may seal before the session must end (the client reconnects with fresh keys): far
     * below where the sequence could wrap or GCM's bounds start to matter.
     */
    static final long MAX_FRAMES = 1L << 40;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private long sequence;

    AesGcmProtection(byte[] key) {
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            this.key = new SecretKeySpec(key, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM", e);
        }
    }

    @Override
    public int tagLength() {
        return TAG_LENGTH;
    }

    @Override
    public void seal(byte[] frame, int length) throws ProtocolException {
        try {
            start(Cipher.ENCRYPT_MODE, frame);
            cipher.doFinal(frame, Protocol.HEADER_LENGTH, length - Protocol.HEADER_LENGTH, frame, Protocol.HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal a frame", e);
        }
    }

    @Override
    public void open(byte[] frame, int length) throws ProtocolException {
        open(frame, frame, length);
    }

    @Override
    public boolean encrypts() {
        return true;
    }

    @Override
    public void open(byte[] sealed, byte[] into, int length) throws ProtocolException {
        long number = sequence;
        try {
            start(Cipher.DECRYPT_MODE, sealed);
            cipher.doFinal(sealed, Protocol.HEADER_LENGTH, length - Protocol.HEADER_LENGTH + TAG_LENGTH, into,
                    Protocol.HEADER_LENGTH);
        } catch (AEADBadTagException e) {
            throw new ProtocolException("frame " + number + " failed its integrity check");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to open a frame", e);
        }
        if (into != sealed) {
            System.arraycopy(sealed, 0, into, 0, Protocol.HEADER_LENGTH);
        }
    }

    /** Sets up the cipher for the next sequence number, with the frame header as additional data. */
    private void start(int mode, byte[] frame) throws GeneralSecurityException, ProtocolException {
        if (sequence >= MAX_FRAMES) {
            throw new ProtocolException("session key used for " + MAX_FRAMES + " frames; reconnect for fresh keys");
        }
        long number = sequence++;
        for (int i = NONCE_LENGTH - 1; i >= NONCE_LENGTH - 8; i--) {
            nonce[i] = (byte) number;
            number >>>= 8;
        }
        cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        cipher.updateAAD(frame, 0, Protocol.HEADER_LENGTH);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
