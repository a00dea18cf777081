package rtunnel.protocol;

/**
 * Protects the frames of one direction of a session: the sender seals each frame, the receiver opens it.
 * Each instance keeps that direction's sequence number, so frames must be sealed and opened in wire order,
 * and a replayed, dropped or reordered frame fails to open.
 */
public interface FrameProtection {

    /** Before the handshake has agreed keys: no tag, nothing checked. */
    FrameProtection NONE = new FrameProtection() {
        @Override
        public int tagLength() {
            return 0;
        }

        @Override
        public void seal(byte[] frame, int length) {
            // Nothing to add: handshake frames are bound by the signed transcript instead.
        }

        @Override
        public void open(byte[] frame, int length) {
            // Nothing to check: see seal.
        }

        @Override
        public String toString() {
            return "none";
        }
    };

    /** Bytes appended to every frame. At most {@link Protocol#MAX_TAG_LENGTH}. */
    int tagLength();

    /**
     * Seals {@code frame[0, length)} (header and payload) under the next sequence number, writing the tag
     * to {@code frame[length, length + tagLength())}. An encrypting protection also encrypts the payload
     * in place.
     *
     * @throws ProtocolException when the session's key may seal no more frames (the session must end)
     */
    void seal(byte[] frame, int length) throws ProtocolException;

    /**
     * Checks the tag at {@code frame[length, length + tagLength())} over {@code frame[0, length)} under the
     * next sequence number, decrypting the payload in place if sealing encrypted it.
     *
     * @throws ProtocolException when the frame was changed, replayed or reordered
     */
    void open(byte[] frame, int length) throws ProtocolException;

    /**
     * Whether sealing encrypts the payload. Then {@link #open(byte[], byte[], int)} costs no more than opening
     * in place (decryption writes every byte either way), and may cost less: from Java 18 on, the JDK's
     * combined AES-GCM intrinsic decrypts into another array but not in place.
     */
    default boolean encrypts() {
        return false;
    }

    /**
     * Like {@link #open(byte[], int)}, but leaves {@code sealed} as it is and writes the opened frame (header
     * and payload, at the same offsets) to {@code into}. This default copies the frame and opens it in place.
     */
    default void open(byte[] sealed, byte[] into, int length) throws ProtocolException {
        System.arraycopy(sealed, 0, into, 0, length + tagLength());
        open(into, length);
    }
}
