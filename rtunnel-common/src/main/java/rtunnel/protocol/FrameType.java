package rtunnel.protocol;

/** Every frame type of protocol version 4 and its code on the wire. */
public enum FrameType {
    /** Client to server, first frame: nonce, ephemeral key, offered protections, client token. */
    CLIENT_HELLO(0x01),
    /** Server to client: nonce, ephemeral key, chosen protection, host key and its signature. */
    SERVER_HELLO(0x02),
    /** Client to server, first protected frame: the client's public key and signature, or neither. */
    AUTH(0x03),
    /** Server to client: authentication accepted; listen requests may follow. */
    AUTH_OK(0x04),
    /** Server to client: the AUTH's key is refused, and the client may offer another one in a new AUTH. */
    AUTH_RETRY(0x05),
    /** Client to server: listen on a public address for one tunnel. */
    LISTEN(0x10),
    /** Server to client: the tunnel's listener is bound; carries the real address. */
    LISTEN_OK(0x11),
    /** Server to client: the tunnel was refused, with a reason. */
    LISTEN_REFUSED(0x12),
    /** Client to server: route visitors of one host name (on the server's HTTP/HTTPS ports) to one tunnel. */
    LISTEN_NAME(0x13),
    /** Server to client: the tunnel owns the name; carries the full name and the server's HTTP/HTTPS ports. */
    NAME_OK(0x14),
    /** Client to server, before a tunnel's LISTEN or LISTEN_NAME: who may visit it (allow-list, basic auth). */
    VISITOR_RULES(0x15),
    /** Server to client: a visitor arrived; opens a stream carrying the visitor's address. */
    OPEN(0x20),
    /** Stream bytes, within the receiver's window. */
    DATA(0x21),
    /** Grants the peer more window on a stream. */
    WINDOW(0x22),
    /** The sender will send no more data on the stream (TCP half-close). */
    FIN(0x23),
    /** Aborts a stream in both directions. */
    RESET(0x24),
    /** Asks the peer to answer with a PONG carrying the same bytes. */
    PING(0x30),
    /** Answers a PING. */
    PONG(0x31),
    /** The sender is shutting down: no new tunnels or streams, open streams may finish. */
    GOAWAY(0x32),
    /** A fatal session error or refusal with its reason; the sender closes the connection after it. */
    ERROR(0x3F);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The frame type with this code. */
    public static FrameType fromCode(int code) throws ProtocolException {
        FrameType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (type == null) {
            throw new ProtocolException(String.format("unknown frame type 0x%02x", code));
        }
        return type;
    }
}
