package rtunnel.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which host names one client may own on the server's web ports, by its key's {@code permithostname}
 * patterns (ssh_config(5) patterns such as {@code *.alice.myserver.com}). A key whose line narrows its ports
 * with {@code permitlisten} but names no {@code permithostname} may own no name, so that a key restricted
 * before names existed does not gain them.
 *
 * @param permits the key's {@code permithostname} patterns, in file order
 * @param portsNarrowed whether the key's line has {@code permitlisten} entries
 */
public record NamePolicy(List<HostPattern> permits, boolean portsNarrowed) {

    /** Any name under the server's domains: a client without a key, or a key line without either option. */
    public static final NamePolicy ANY = new NamePolicy(List.of(), false);

    public NamePolicy {
        permits = List.copyOf(permits);
    }

    /** Whether the client may own {@code fullName} (lower case, under one of the server's domains). */
    public boolean allows(String fullName) {
        if (permits.isEmpty()) {
            return !portsNarrowed;
        }
        return permits.stream().anyMatch(pattern -> pattern.matches(fullName));
    }

    /** Why {@link #allows} says no, for the client to print after {@code server refused name N: }. */
    public String whyRefused(String fullName) {
        if (permits.isEmpty()) {
            return "this key may own no name (its line has permitlisten but no permithostname)";
        }
        return "name " + fullName + " is not permitted for this key (permithostname "
                + permits.stream().map(HostPattern::text).collect(Collectors.joining(", ")) + ")";
    }
}
