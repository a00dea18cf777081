package rtunnel.policy;

import java.util.List;
import java.util.Locale;
import rtunnel.protocol.HostPort;

/**
 * The host part of a {@code permitlisten} entry: an ssh_config(5) PATTERN ({@code *} any run of characters,
 * {@code ?} one character) matched, ignoring case, against the host text a client asks to listen on.
 */
public record HostPattern(String text) {

    /** Any address, all interfaces included: a {@code permitlisten} without a host, or with host {@code *}. */
    public static final HostPattern ANY = new HostPattern("*");

    /** The loopback literals that {@code localhost} stands for, since people write either. */
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "::1");

    public HostPattern {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty host (leave the host out, or write *, for any address)");
        }
        if (HostPort.meansAllInterfaces(text)) {
            // 0.0.0.0 or :: allows listening on every interface, which includes any one address: the same
            // as *. Lines written when the host part was ignored keep meaning what they did.
            text = "*";
        }
        for (char c : text.toCharArray()) {
            // Negation and pattern lists would need sshd's match_pattern_list rules; refusing them keeps
            // an entry from meaning something other than what its writer read into it.
            if (c == '!' || c == ',' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("host pattern \"" + text + "\" may hold only one pattern,"
                        + " without '!', ',' or spaces");
            }
        }
    }

    /** Whether this pattern admits every address, all interfaces included. */
    public boolean isAny() {
        return text.equals("*");
    }

    /**
     * Whether a client asking to listen on {@code requestedHost} matches. A request for all interfaces
     * (empty host, {@code 0.0.0.0}, {@code ::}, {@code *}) matches only {@link #isAny() any}: a wildcard
     * pattern must not let a key open the port on every interface. {@code localhost} also matches as
     * {@code 127.0.0.1} and {@code ::1}, and those as {@code localhost}.
     */
    public boolean matches(String requestedHost) {
        if (isAny()) {
            return true;
        }
        if (HostPort.meansAllInterfaces(requestedHost)) {
            return false;
        }
        String pattern = text.toLowerCase(Locale.ROOT);
        return namesOf(requestedHost.toLowerCase(Locale.ROOT)).stream().anyMatch(name -> glob(pattern, name));
    }

    /** {@code host} and the loopback names it is the same as. */
    private static List<String> namesOf(String host) {
        if (host.equals("localhost")) {
            return List.of(host, LOOPBACK.get(0), LOOPBACK.get(1));
        }
        return LOOPBACK.contains(host) ? List.of(host, "localhost") : List.of(host);
    }

    /** ssh's match_pattern: {@code *} any run of characters, {@code ?} exactly one, the rest literally. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                resumeAt = t;
            } else if (starAt >= 0) {
                // Let the last star take one more character and try the rest again.
                p = starAt + 1;
                t = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
