package rtunnel.client;

import java.io.Console;
import java.nio.file.Path;
import rtunnel.auth.PassphraseSource;

/**
 * The passphrase of an encrypted {@code -k} key: from {@code RTUNNEL_KEY_PASSPHRASE}, or asked on the
 * terminal without echo. Without either, the key cannot be opened (a one-line error says so).
 */
final class KeyPassphrase implements PassphraseSource {

    /** The environment variable a script sets instead of typing the passphrase. */
    static final String VARIABLE = "RTUNNEL_KEY_PASSPHRASE";

    @Override
    public char[] passphraseFor(Path file) {
        String fromEnvironment = System.getenv(VARIABLE);
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        Console console = System.console();
        return console == null ? null : console.readPassword("Enter passphrase for %s: ", file);
    }
}
