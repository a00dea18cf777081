package rtunnel.auth;

import java.util.List;
import java.util.Optional;
import rtunnel.protocol.FrameProtection;

/** The frame protections this code can agree on in the handshake, by their wire names. */
public enum ProtectionMode {
    /** Confidentiality and integrity: AES-256-GCM. The default: private, and cheaper than HMAC here. */
    AES256_GCM(AesGcmProtection.NAME),
    /** Integrity only: HMAC-SHA256 tags, payload in clear (the original's model; {@code --no-encryption}). */
    HMAC_SHA256(HmacSha256Protection.NAME);

    /** What a peer offers or accepts by default, best first. */
    public static final List<ProtectionMode> DEFAULT = List.of(AES256_GCM, HMAC_SHA256);

    /** With {@code --no-encryption}: integrity only. */
    public static final List<ProtectionMode> INTEGRITY_ONLY = List.of(HMAC_SHA256);

    /** With {@code --require-encryption} on a server: encrypted sessions only. */
    public static final List<ProtectionMode> ENCRYPTED_ONLY = List.of(AES256_GCM);

    /** Length of each direction's key. */
    static final int KEY_LENGTH = 32;

    private final String wireName;

    ProtectionMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The wire names of the modes a peer of this version offers by default, best first. */
    public static List<String> offered() {
        return names(DEFAULT);
    }

    /** The wire names of {@code modes}, in order. */
    public static List<String> names(List<ProtectionMode> modes) {
        return modes.stream().map(ProtectionMode::wireName).toList();
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
        return switch (this) {
            case AES256_GCM -> new AesGcmProtection(key);
            case HMAC_SHA256 -> new HmacSha256Protection(key);
        };
    }
}
