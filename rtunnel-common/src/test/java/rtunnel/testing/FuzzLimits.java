package rtunnel.testing;

import rtunnel.protocol.FrameBuffers;

/**
 * The bounds the fuzz tests hold every input to. What matters is that no length field, however large, makes
 * a reader allocate in proportion to what it claims rather than to what arrived, and that no input is slow;
 * so the bounds are generous multiples, each with the reason for its size.
 */
public final class FuzzLimits {

    /**
     * Seconds one input may take when a plain test run replays the seeds (JUnit's {@code @Timeout}): generous,
     * because the first input of a run also installs Jazzer's agent and loads BouncyCastle (2.5 s together on
     * a busy two-core machine). While fuzzing, the pom's fuzz profile gives each input libFuzzer's own limit of
     * one second (its unit; a warm decode or in-memory handshake takes a few milliseconds at most), and turns
     * JUnit's off, which would otherwise time the whole fuzzing run as one input. The tests run each input on
     * a thread of JUnit's, so that an input that never ends (big-number arithmetic does not stop when
     * interrupted) fails the run at the deadline instead of holding it up.
     */
    public static final int REPLAY_SECONDS = 10;

    /**
     * Buffers a connection may allocate whatever arrives: two full frame buffers (the pooled one and the
     * reader's landing buffer for large encrypted frames), what AES-GCM copies when it decrypts in place, the
     * reader's carry buffer, and exceptions with their stack traces.
     */
    private static final long BUFFERS = 3L * FrameBuffers.BUFFER_BYTES + 64 * 1024;

    /**
     * Bytes allocated per byte that arrived. Decoding a 64 KiB CLIENT_HELLO that offers "a,a,a,..." made 2.8 MB
     * (its list of names, about 43 bytes per payload byte); nothing else comes near.
     */
    private static final long PER_BYTE_RECEIVED = 64;

    /**
     * What key parsing, signature checks, X25519 and key derivation allocate in one handshake, besides
     * buffers. BouncyCastle's ECDSA verification does its point arithmetic with big numbers: parsing a P-384
     * or P-521 key and checking one signature allocated 8.6 MB (P-256: 2.4 MB; Ed25519 and RSA: under 30 KB).
     */
    public static final long HANDSHAKE_CRYPTO = 16L * 1024 * 1024;

    private FuzzLimits() {
    }

    /** The most that reading and decoding {@code received} bytes from a peer may allocate. */
    public static long readingAndDecoding(int received) {
        return BUFFERS + PER_BYTE_RECEIVED * received;
    }
}
