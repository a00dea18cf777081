package rtunnel.bench;

import java.util.List;
import java.util.Locale;

/**
 * Where a figure was measured: on a direct connection, through an rtunnel server and client whose frames one
 * protection mode guards, or through OpenSSH's {@code ssh -R}, the peer to beat. Each tunnel has its own pair
 * of processes.
 */
enum Side {
    DIRECT("direct", List.of()),
    /** The programs' default: AES-256-GCM frames. */
    AES("AES-256-GCM", List.of()),
    /** Integrity only: HMAC-SHA256 tags, payload in clear; both programs must be told. */
    HMAC("HMAC-SHA256", List.of("--no-encryption")),
    /** A throw-away sshd on loopback and {@code ssh -N -R} with AES-128-GCM. */
    SSH("ssh -R", List.of());

    /** What the table calls this side, e.g. "AES-256-GCM". */
    final String title;

    /** Arguments both rtunnel_server and rtunnel_client take to run in this mode; none for direct and ssh. */
    final List<String> programArgs;

    Side(String title, List<String> programArgs) {
        this.title = title;
        this.programArgs = programArgs;
    }

    /** The tunnels {@code --modes} can name, in the order each round measures them after direct. */
    static List<Side> modes() {
        return List.of(AES, HMAC, SSH);
    }

    /** The tunnels measured when {@code --modes} is not given: rtunnel's default and the peer to beat. */
    static List<Side> defaultModes() {
        return List.of(AES, SSH);
    }

    /** The tunnel named {@code name} ("aes", "hmac" or "ssh", any case), as {@code --modes} takes it. */
    static Side mode(String name) {
        for (Side side : modes()) {
            if (side.key().equalsIgnoreCase(name.trim())) {
                return side;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "': use aes, hmac or ssh");
    }

    /** Whether this is an rtunnel server and client, whose figures the targets are for. */
    boolean isRtunnel() {
        return this == AES || this == HMAC;
    }

    /** The name in {@code --modes}, the JSON report and the log file names: "direct", "aes", "hmac", "ssh". */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
