package rtunnel.auth;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses one line of an authorized_keys or known_hosts file:
 * {@code [@revoked] [options-or-hosts] keytype base64 [comment]}. Blank and {@code #} lines hold no key;
 * a line that cannot be used is an {@link IllegalArgumentException} whose message is the reason.
 */
final class AuthorizedKeyLine {

    /** Key type names (ssh-ed25519, ecdsa-sha2-nistp256, sk-ssh-ed25519@openssh.com): a dash, never in Base64. */
    private static final Pattern KEY_TYPE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9@.]+)+");
    private static final String CERTIFICATE_SUFFIX = "-cert-v01@openssh.com";

    private AuthorizedKeyLine() {
    }

    static Optional<AuthorizedKey> parse(String line, String source) {
        String rest = line.strip();
        if (rest.isEmpty() || rest.startsWith("#")) {
            return Optional.empty();
        }
        boolean revoked = false;
        if (rest.startsWith("@")) {
            String marker = rest.split("\\s+", 2)[0];
            switch (marker) {
                case "@revoked" -> revoked = true;
                case "@cert-authority" -> throw new IllegalArgumentException("certificates are not supported");
                default -> throw new IllegalArgumentException("unknown marker " + SshKeyType.quote(marker));
            }
            rest = rest.substring(marker.length()).strip();
        }
        KeyLinePrefix.Narrowing narrowing = new KeyLinePrefix.Narrowing(List.of(), List.of());
        String first = firstField(rest);
        String afterFirst = rest.substring(first.length()).strip();
        if (KEY_TYPE.matcher(afterFirst.split("\\s+", 2)[0]).matches()) {
            narrowing = KeyLinePrefix.narrowing(first);
            rest = afterFirst;
        }
        String[] fields = rest.split("\\s+", 3);
        SshPublicKey key = key(fields);
        String comment = fields.length > 2 ? fields[2] : "";
        return Optional.of(new AuthorizedKey(key, comment, revoked ? List.of() : narrowing.permitListen(),
                revoked ? List.of() : narrowing.permitHostname(), revoked, source));
    }

    /** The key of a line's {@code keytype base64 ...} fields, checked as an authorized key is. */
    static SshPublicKey key(String[] fields) {
        String type = fields[0];
        if (!KEY_TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("expected a key type, found " + SshKeyType.quote(type));
        }
        if (type.endsWith(CERTIFICATE_SUFFIX)) {
            throw new IllegalArgumentException("certificates are not supported");
        }
        if (fields.length < 2) {
            throw new IllegalArgumentException("no key after " + SshKeyType.quote(type));
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not valid Base64");
        }
        String ownType;
        try {
            ownType = new SshBlobReader(blob).readText();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + type + " key");
        }
        if (!ownType.equals(type)) {
            throw new IllegalArgumentException("key type " + type + " does not match the key, which is "
                    + SshKeyType.quote(ownType));
        }
        return SshPublicKey.fromBlob(blob);
    }

    /** The text up to the first whitespace outside double quotes; a quote left open is refused. */
    private static String firstField(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                return text.substring(0, i);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in options");
        }
        return text;
    }
}
