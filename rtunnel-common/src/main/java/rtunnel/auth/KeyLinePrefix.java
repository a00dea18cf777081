package rtunnel.auth;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import rtunnel.policy.HostPattern;
import rtunnel.policy.ListenPermit;

/**
 * The field before the key type on a key line: authorized_keys options (sshd(8) "AUTHORIZED_KEYS FILE
 * FORMAT") or known_hosts host patterns, plain or hashed. Only {@code permitlisten} and rtunnel's own
 * {@code permithostname} change what a key may do; options rtunnel cannot honour make the line fail rather than grant more than the file says.
 */
final class KeyLinePrefix {

    /** Options that do not concern a tunnel; accepted and ignored. */
    private static final Set<String> IGNORED = Set.of("command", "environment", "permitopen", "principals",
            "tunnel", "agent-forwarding", "no-agent-forwarding", "pty", "no-pty", "user-rc", "no-user-rc",
            "x11-forwarding", "no-x11-forwarding", "no-touch-required", "verify-required");

    private KeyLinePrefix() {
    }

    /** What a key line's options narrow: its ports, and the host names it may own on the web ports. */
    record Narrowing(List<ListenPermit> permitListen, List<HostPattern> permitHostname) {
    }

    /** The {@code permitlisten} and {@code permithostname} entries the field names, in order. */
    static Narrowing narrowing(String field) {
        if (field.startsWith("|")) {
            checkHashedHost(field);
            return new Narrowing(List.of(), List.of());
        }
        List<ListenPermit> permits = new ArrayList<>();
        List<HostPattern> hostnames = new ArrayList<>();
        boolean forwarding = true;
        for (String item : splitOnCommas(field)) {
            int equals = item.indexOf('=');
            String name = (equals < 0 ? item : item.substring(0, equals)).toLowerCase(Locale.ROOT);
            switch (name) {
                case "permitlisten" -> permits.add(listenPermit(value(item, equals, name)));
                case "permithostname" -> hostnames.add(hostnamePattern(value(item, equals, name)));
                case "restrict", "no-port-forwarding" -> forwarding = false;
                case "port-forwarding" -> forwarding = true;
                case "cert-authority" -> throw new IllegalArgumentException("certificates are not supported");
                case "from", "expiry-time" -> throw new IllegalArgumentException(
                        "option " + name + " is not supported (rtunnel cannot enforce it)");
                default -> checkIgnorable(item, name);
            }
        }
        if (!forwarding) {
            throw new IllegalArgumentException(
                    "port forwarding is disabled for this key (restrict or no-port-forwarding)");
        }
        return new Narrowing(permits, hostnames);
    }

    /** An option rtunnel ignores, or a known_hosts host pattern such as {@code [host]:2222} or {@code *.org}. */
    private static void checkIgnorable(String item, String name) {
        if (item.isEmpty()) {
            throw new IllegalArgumentException("empty option (a stray comma)");
        }
        boolean hostPattern = item.indexOf('=') < 0 && item.indexOf('"') < 0;
        if (!IGNORED.contains(name) && !hostPattern) {
            throw new IllegalArgumentException("unknown option " + SshKeyType.quote(name));
        }
        if (hostPattern && !IGNORED.contains(name)) {
            // A bare word is a known_hosts host, unless it is one typo away from an option that restricts:
            // "restrictt" must not silently grant the forwarding "restrict" would have taken away.
            for (String option : RESTRICTING) {
                if (editDistance(name, option) <= 2) {
                    throw new IllegalArgumentException("unknown option " + SshKeyType.quote(name)
                            + " (did you mean " + option + "?)");
                }
            }
        }
    }

    /** Options whose misspelling would grant more than the file meant. */
    private static final List<String> RESTRICTING = List.of("restrict", "no-port-forwarding", "permitlisten",
            "permithostname");

    /** Levenshtein distance: how many single-character edits turn {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** One {@code permitlisten} value; its text goes into warnings and refusal reasons, so printable only. */
    private static ListenPermit listenPermit(String spec) {
        if (!spec.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("permitlisten value of " + spec.length()
                    + " characters holds spaces or unprintable characters");
        }
        return ListenPermit.parse(spec);
    }

    /** One {@code permithostname} pattern: printable, and one pattern only, as a permitlisten host. */
    private static HostPattern hostnamePattern(String spec) {
        if (!spec.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("permithostname value of " + spec.length()
                    + " characters holds spaces or unprintable characters");
        }
        try {
            return new HostPattern(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("permithostname \"" + spec + "\": " + e.getMessage());
        }
    }

    /** The value after {@code name=}, without its double quotes; {@code \"} stands for a quote. */
    private static String value(String item, int equals, String name) {
        String raw = equals < 0 ? "" : item.substring(equals + 1);
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            raw = raw.substring(1, raw.length() - 1).replace("\\\"", "\"");
        } else if (raw.indexOf('"') >= 0) {
            throw new IllegalArgumentException("option " + name + " has a badly quoted value");
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("option " + name + " needs a value");
        }
        return raw;
    }

    /** Splits on commas outside double quotes; {@code \"} inside quotes does not end them. */
    private static List<String> splitOnCommas(String field) {
        List<String> items = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && quoted && i + 1 < field.length()) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                items.add(field.substring(start, i));
                start = i + 1;
            }
        }
        items.add(field.substring(start));
        return items;
    }

    /** {@code |1|salt|hash}: Base64 HMAC-SHA1 salt and hash (20 bytes each) as ssh-keygen -H writes them. */
    private static void checkHashedHost(String field) {
        String[] parts = field.split("\\|", -1);
        try {
            if (parts.length == 4 && parts[1].equals("1")
                    && Base64.getDecoder().decode(parts[2]).length == 20
                    && Base64.getDecoder().decode(parts[3]).length == 20) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // Not Base64: falls through to the same refusal as a wrong shape.
        }
        throw new IllegalArgumentException("malformed hashed host field");
    }
}
