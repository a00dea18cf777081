package rtunnel.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP basic authentication for one name (RFC 7617): the request head must carry
 * {@code Authorization: Basic base64(user:password)}. Pure; the password never shows in {@link #toString}.
 */
public record BasicAuth(String user, String password) {

    /** Longest user or password accepted: far above any real one, and it bounds what a head is checked against. */
    public static final int MAX_LENGTH = 256;

    /** The scheme, matched without regard to case (RFC 7235 section 2.1), and the space after it. */
    private static final String SCHEME = "Basic ";

    public BasicAuth {
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("basic auth needs a user and a password");
        }
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a basic auth user may not contain ':'");
        }
        if (user.length() > MAX_LENGTH || password.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("basic auth user and password are at most " + MAX_LENGTH
                    + " characters each");
        }
        for (char c : (user + password).toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("basic auth user and password may not hold control characters");
            }
        }
    }

    /**
     * Whether the first request of a complete head (its first {@code headLength} bytes) carries these
     * credentials. The comparison takes the same time however much of the credentials is right.
     */
    public boolean admits(byte[] head, int headLength) {
        String value = HttpHead.header(head, headLength, "authorization");
        if (value == null || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] expected = Base64.getEncoder().encode((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        byte[] given = value.substring(SCHEME.length()).strip().getBytes(StandardCharsets.ISO_8859_1);
        return MessageDigest.isEqual(given, expected);
    }

    /** The user alone: the password is never printed. */
    @Override
    public String toString() {
        return "BasicAuth[user=" + user + "]";
    }
}
