package rtunnel.client;

import java.util.Locale;

/** Which PROXY protocol header, if any, a tunnel sends its target before a visitor's bytes. */
public enum ProxyProtocol {
    /** No header: the target sees the client's address. */
    NONE,
    /** The text header, {@code PROXY TCP4 src dst sport dport\r\n}. */
    V1,
    /** The binary header. */
    V2;

    /** Parses {@code none}, {@code v1} or {@code v2}, in any case. */
    public static ProxyProtocol parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "v1" -> V1;
            case "v2" -> V2;
            default -> throw new IllegalArgumentException("'" + text + "' is not one of none, v1, v2");
        };
    }
}
