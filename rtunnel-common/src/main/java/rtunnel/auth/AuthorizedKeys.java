package rtunnel.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a server accepts, read from a file that may mix OpenSSH authorized_keys and known_hosts lines.
 * A line that cannot be used is skipped with a warning; a key marked {@code @revoked} anywhere in the file
 * is refused even where it is also listed. Immutable and safe to share between threads.
 */
public final class AuthorizedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);

    /** The first listing of each key: the line that counts, as in sshd. */
    private final Map<SshPublicKey, AuthorizedKey> listed;
    private final Set<SshPublicKey> revoked;
    /** Every key the file names, listed or revoked, by its blob: found without parsing what a client sends. */
    private final Map<ByteBuffer, SshPublicKey> byBlob;
    private final List<String> warnings;

    private AuthorizedKeys(Map<SshPublicKey, AuthorizedKey> listed, Set<SshPublicKey> revoked, List<String> warnings) {
        this.listed = Map.copyOf(listed);
        this.revoked = Set.copyOf(revoked);
        this.warnings = List.copyOf(warnings);
        Map<ByteBuffer, SshPublicKey> named = new HashMap<>();
        listed.keySet().forEach(key -> named.put(ByteBuffer.wrap(key.blob()), key));
        revoked.forEach(key -> named.put(ByteBuffer.wrap(key.blob()), key));
        this.byBlob = Map.copyOf(named);
    }

    /**
     * Reads {@code file}. Throws {@link KeyFileException} when it cannot be read, or when no line grants
     * access ("{@code <file>: no usable key}").
     */
    public static AuthorizedKeys load(Path file) throws IOException {
        AuthorizedKeys keys = loadAllowingNone(file);
        if (keys.size() == 0) {
            throw new KeyFileException(file, "no usable key");
        }
        return keys;
    }

    /**
     * Reads {@code file}, which may grant nobody (every key revoked or removed): what a reload must apply,
     * so that revoking the last key takes effect. Throws {@link KeyFileException} when it cannot be read.
     */
    public static AuthorizedKeys loadAllowingNone(Path file) throws IOException {
        String text = read(file);
        Map<SshPublicKey, AuthorizedKey> listed = new LinkedHashMap<>();
        Set<SshPublicKey> revoked = new HashSet<>();
        List<String> warnings = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + ":" + (i + 1);
            try {
                Optional<AuthorizedKey> line = AuthorizedKeyLine.parse(lines.get(i), where);
                if (line.isPresent() && line.get().revoked()) {
                    revoked.add(line.get().key());
                } else if (line.isPresent()) {
                    AuthorizedKey first = listed.putIfAbsent(line.get().key(), line.get());
                    if (first != null) {
                        warn(warnings, where + ": key " + first.key().fingerprint() + " is already listed at "
                                + first.source() + ", which is the line that counts");
                    }
                }
            } catch (IllegalArgumentException e) {
                warn(warnings, where + ": " + e.getMessage());
            }
        }
        return new AuthorizedKeys(listed, revoked, warnings);
    }

    private static String read(Path file) throws KeyFileException {
        try {
            // Malformed UTF-8 (in a comment, say) becomes U+FFFD rather than failing the whole file.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KeyFileException(file, "cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new KeyFileException(file, "cannot read: permission denied");
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static void warn(List<String> warnings, String warning) {
        warnings.add(warning);
        LOG.warn("{}", warning);
    }

    /** The line that lets {@code key} in, or empty when the key is unknown or revoked. */
    public Optional<AuthorizedKey> lookup(SshPublicKey key) {
        return revoked.contains(key) ? Optional.empty() : Optional.ofNullable(listed.get(key));
    }

    /** The key the file names (listed or revoked) whose blob is {@code blob}, or empty. */
    public Optional<SshPublicKey> named(byte[] blob) {
        return Optional.ofNullable(byBlob.get(ByteBuffer.wrap(blob)));
    }

    /** Whether an {@code @revoked} line names {@code key}. */
    public boolean isRevoked(SshPublicKey key) {
        return revoked.contains(key);
    }

    /** How many distinct keys {@link #lookup} accepts. */
    public int size() {
        return (int) listed.keySet().stream().filter(key -> !revoked.contains(key)).count();
    }

    /** One "{@code <file>:<line>: <reason>}" per line that was skipped, in file order; also logged at warn. */
    public List<String> warnings() {
        return warnings;
    }
}
