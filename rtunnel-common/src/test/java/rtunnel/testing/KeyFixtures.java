package rtunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The key files ssh-keygen made for the tests (under {@code src/test/resources/keys} of rtunnel-common),
 * copied out to real files, since other modules see them inside a jar. Passphrase: {@link #PASSPHRASE}.
 */
public final class KeyFixtures {

    public static final String PASSPHRASE = "correct horse";

    private final Path directory;

    public KeyFixtures() throws IOException {
        directory = Files.createTempDirectory("rtunnel-keys");
    }

    /** The fixture {@code name} (e.g. "ed25519" or "ed25519.pub") as a file. */
    public Path file(String name) {
        Path copy = directory.resolve(name);
        if (Files.exists(copy)) {
            return copy;
        }
        try (InputStream in = KeyFixtures.class.getResourceAsStream("/keys/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture keys/" + name);
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one-line public key of fixture {@code name}, as it appears in an authorized_keys file. */
    public String publicLine(String name) {
        try {
            return Files.readString(file(name + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh file in the fixtures' directory, for authorized keys and host keys written by a test. */
    public Path scratch(String name) {
        return directory.resolve(name);
    }
}
