package rtunnel.bench;

import java.util.List;
import java.util.Locale;

/**
 * Where a figure was measured: on a direct connection, or through a tunnel whose server and client guard
 * their frames with one protection mode. Each mode has a server and client process pair of its own.
 */
enum Side {
    DIRECT("direct", List.of()),
    /** The programs' default: AES-256-GCM frames. */
    AES("AES-256-GCM", List.of()),
    /** Integrity only: HMAC-SHA256 tags, payload in clear; both programs must be told. */
    HMAC("HMAC-SHA256", List.of("--no-encryption"));

    /** What the table calls this side, e.g. "AES-256-GCM". */
    final String title;

    /** Arguments both rtunnel_server and rtunnel_client take to run in this mode. */
    final List<String> programArgs;

    Side(String title, List<String> programArgs) {
        this.title = title;
        this.programArgs = programArgs;
    }

    /** The tunnel modes, in the order each round measures them after direct. */
    static List<Side> modes() {
        return List.of(AES, HMAC);
    }

    /** The mode named {@code name} ("aes" or "hmac", any case), as {@code --modes} takes it. */
    static Side mode(String name) {
        for (Side side : modes()) {
            if (side.key().equalsIgnoreCase(name.trim())) {
                return side;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "': use aes or hmac");
    }

    /** The name in {@code --modes}, the JSON report and the log file names: "direct", "aes", "hmac". */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
