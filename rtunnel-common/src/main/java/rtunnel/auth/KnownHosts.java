package rtunnel.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import rtunnel.protocol.Protocol;

/**
 * The lines of an OpenSSH known_hosts file (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT") as a client needs them to
 * trust a server on first use: which keys the file gives a server's name, and the line that records a new one.
 * Host fields match as in OpenSSH: comma-separated patterns with {@code *} and {@code ?}, ignoring case,
 * {@code !} to exclude, and hashed {@code |1|salt|hash} names. Lines it cannot use (key types rtunnel does not
 * take, certificates, {@code @cert-authority}) are skipped, as ssh skips them. Pure: no I/O.
 */
public final class KnownHosts {

    /** How a server's key stands in the file. */
    public enum Kind {
        /** A line for the server's name has this key. */
        KNOWN,
        /** No line names the server: first contact. */
        NEW,
        /** Lines name the server, none with this key: the key changed, or someone poses as the server. */
        CHANGED,
        /** An {@code @revoked} line has this key, whatever its host field: never to be accepted. */
        REVOKED
    }

    /** A key line: its number in the file (from 1) and its key. */
    public record Entry(int line, SshPublicKey key) {
    }

    /** What the file says about a key: the line that decided it (for NEW, null). */
    public record Verdict(Kind kind, Entry entry) {
    }

    private record Line(Entry entry, String hosts, boolean revoked) {
    }

    private static final String HASHED = "|1|";

    private final List<Line> lines;
    private final List<String> skipped;

    private KnownHosts(List<Line> lines, List<String> skipped) {
        this.lines = List.copyOf(lines);
        this.skipped = List.copyOf(skipped);
    }

    /** Reads a file's text; blank lines, comments and lines it cannot use hold no key. */
    public static KnownHosts parse(String text) {
        List<Line> lines = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                lines.add(parseLine(i + 1, line));
            } catch (IllegalArgumentException e) {
                skipped.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new KnownHosts(lines, skipped);
    }

    private static Line parseLine(int number, String text) {
        String[] fields = text.split("\\s+");
        boolean revoked = false;
        int at = 0;
        if (fields[0].startsWith("@")) {
            if (!fields[0].equals("@revoked")) {
                throw new IllegalArgumentException("marker " + SshKeyType.quote(fields[0]) + " is not used here");
            }
            revoked = true;
            at = 1;
        }
        if (fields.length < at + 3) {
            throw new IllegalArgumentException("expected hosts, a key type and a key");
        }
        SshPublicKey key = AuthorizedKeyLine.key(Arrays.copyOfRange(fields, at + 1, fields.length));
        return new Line(new Entry(number, key), fields[at], revoked);
    }

    /** The lines skipped, each as "line N: reason", for a debug log. */
    public List<String> skipped() {
        return skipped;
    }

    /** Where {@code key} stands for the server named {@code name} (see {@link #name}). */
    public Verdict check(String name, SshPublicKey key) {
        for (Line line : lines) {
            if (line.revoked() && line.entry().key().equals(key)) {
                return new Verdict(Kind.REVOKED, line.entry());
            }
        }
        Entry other = null;
        for (Line line : lines) {
            if (line.revoked() || !matches(line.hosts(), name)) {
                continue;
            }
            if (line.entry().key().equals(key)) {
                return new Verdict(Kind.KNOWN, line.entry());
            }
            if (other == null) {
                other = line.entry();
            }
        }
        return other == null ? new Verdict(Kind.NEW, null) : new Verdict(Kind.CHANGED, other);
    }

    /**
     * The name a server goes by in the file, as OpenSSH writes it: the host alone on the default control port
     * (19050, where ssh's is 22), else {@code [host]:port}; lower case, as ssh looks names up.
     */
    public static String name(String host, int port) {
        String lower = host.toLowerCase(Locale.ROOT);
        return port == Protocol.DEFAULT_CONTROL_PORT ? lower : "[" + lower + "]:" + port;
    }

    /** The line that records {@code key} for {@code name}: {@code name keytype base64}, as ssh appends it. */
    public static String line(String name, SshPublicKey key) {
        return name + " " + key.type() + " " + Base64.getEncoder().encodeToString(key.blob());
    }

    /** Whether a host field names {@code name}: hashed, or a pattern list where a {@code !} match excludes. */
    static boolean matches(String hosts, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (hosts.startsWith(HASHED)) {
            return hashedMatches(hosts, lower);
        }
        boolean matched = false;
        for (String pattern : hosts.toLowerCase(Locale.ROOT).split(",")) {
            boolean negated = pattern.startsWith("!");
            if (glob(negated ? pattern.substring(1) : pattern, lower)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** {@code |1|salt|hash}: the Base64 HMAC-SHA1 of the name keyed by the salt, as ssh-keygen -H writes it. */
    private static boolean hashedMatches(String hosts, String name) {
        String[] parts = hosts.split("\\|", -1);
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(hash, hmac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            // Salt or hash not Base64 (an empty salt is refused by SecretKeySpec): a line for no name.
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA1", e);
        }
    }

    /** ssh's match_pattern: {@code *} any run of characters, {@code ?} any one. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
