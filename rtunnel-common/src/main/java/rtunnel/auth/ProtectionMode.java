package rtunnel.auth;

import java.util.List;
import java.util.Optional;
import rtunnel.protocol.FrameProtection;

/** The frame protections this code can agree on in the handshake, by their wire names. */
public enum ProtectionMode {
    /** Integrity only: HMAC-SHA256 tags, payload in clear. */
    HMAC_SHA256(HmacSha256Protection.NAME);

    /** Length of each direction's key. */
    static final int KEY_LENGTH = 32;

    private final String wireName;

    ProtectionMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The modes a peer of this version offers, best first. */
    public static List<String> offered() {
        return List.of(HMAC_SHA256.wireName);
    }

    /** The mode called {@code name}, if this side knows it. */
    public static Optional<ProtectionMode> named(String name) {
        for (ProtectionMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    /** One direction's protection under {@code key}. */
    FrameProtection create(byte[] key) {
        return new HmacSha256Protection(key);
    }
}
