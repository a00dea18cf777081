package rtunnel.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Wire constants of the rtunnel protocol (version 4). See {@code docs/protocol.md} for the full description.
 *
 * <pre>
 * Both peers first send an 8-byte preamble:   'r' 't' 'u' 'n' 'n' 'e' 'l' VERSION
 *
 * Then frames, each:
 *  0                 4        5                  9                  9+length
 *  +-----------------+--------+------------------+------------------+------------------+
 *  | length (u32 BE) | type   | stream id (u32)  | payload          | tag (0 or more)  |
 *  +-----------------+--------+------------------+------------------+------------------+
 * </pre>
 *
 * The tag's length is fixed by the frame protection agreed in the handshake (none before it).
 */
public final class Protocol {

    /** The first seven preamble bytes: they tell a wrong peer (HTTP, TLS, the Ruby rtunnel) apart at once. */
    public static final byte[] MAGIC = "rtunnel".getBytes(StandardCharsets.US_ASCII);

    /**
     * The protocol version this code speaks; the eighth preamble byte. Version 2 changed flow control;
     * version 3 moved the client token from CLIENT_HELLO into AUTH, so an older peer is refused by its
     * preamble instead of misreading a hello; version 4 added AUTH_RETRY, so a client may offer several keys
     * on one connection, and LISTEN_NAME and NAME_OK (tunnels by host name).
     */
    public static final int VERSION = 4;

    /** Preamble length: magic plus the version byte. */
    public static final int PREAMBLE_LENGTH = MAGIC.length + 1;

    /** Bytes before the payload: length, type and stream id. */
    public static final int HEADER_LENGTH = 9;

    /**
     * The largest payload a frame may carry. 64 KiB amortises the per-frame header, tag and system call
     * over enough bytes for bulk transfer, and bounds what one frame can make a peer allocate.
     */
    public static final int MAX_PAYLOAD = 64 * 1024;

    /** The longest tag any frame protection appends (HMAC-SHA256). Frame buffers keep this much room. */
    public static final int MAX_TAG_LENGTH = 32;

    /**
     * Bytes each side may send on a new stream before the receiver grants more. About TCP's own initial
     * window (10 segments), so a small response leaves at once; a busy stream's window then grows with each
     * grant, while a stalled or idle one makes its receiver hold no more than this. Every stream's window
     * comes out of its session's budget, so this also sets how many streams the budget holds.
     */
    public static final int INITIAL_WINDOW = 16 * 1024;

    /** The original rtunnel's control port, kept so old habits and firewall rules still work. */
    public static final int DEFAULT_CONTROL_PORT = 19050;

    /** Stream id 0 names the session itself (handshake, listen requests, ping, errors). */
    public static final int SESSION_STREAM = 0;

    private Protocol() {
    }

    /** The preamble this side sends. */
    public static byte[] preamble() {
        byte[] preamble = new byte[PREAMBLE_LENGTH];
        System.arraycopy(MAGIC, 0, preamble, 0, MAGIC.length);
        preamble[MAGIC.length] = (byte) VERSION;
        return preamble;
    }
}
