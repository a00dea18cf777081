package rtunnel.auth;

import java.io.IOException;
import java.nio.file.Path;

/** Where the passphrase of an encrypted private key file comes from: a prompt, a variable, a test. */
@FunctionalInterface
public interface PassphraseSource {

    /** For keys that must not be encrypted: never has a passphrase to give. */
    PassphraseSource NONE = file -> null;

    /**
     * The passphrase for {@code file}, asked only when the file is encrypted; {@code null} or empty when
     * there is none. The loader wipes the returned array once it has used it.
     */
    char[] passphraseFor(Path file) throws IOException;

    /** Always gives {@code passphrase}; for tests and non-interactive use. */
    static PassphraseSource of(String passphrase) {
        return file -> passphrase.toCharArray();
    }
}
