package rtunnel.auth;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A key file (a private key or an authorized keys file) that cannot be used, with a one-line reason that
 * names the file and quotes no key material.
 */
public final class KeyFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    KeyFileException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    /** The file that could not be used. */
    public Path file() {
        return file;
    }
}
