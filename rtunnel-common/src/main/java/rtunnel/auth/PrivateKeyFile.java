package rtunnel.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Reads a private key file as ssh-keygen writes it and picks its format: OpenSSH
 * ({@link OpenSshKeyFormat}) or PEM / PKCS#8 ({@link PemKeyFormat}). Asks for a passphrase only when
 * the file is encrypted.
 */
final class PrivateKeyFile {

    /** Far above the largest key ssh-keygen writes (RSA 16384 bits, under 13 KiB), far below harm. */
    static final long MAX_FILE_BYTES = 64 * 1024;

    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";

    private final Path file;
    private final PassphraseSource passphrase;

    private PrivateKeyFile(Path file, PassphraseSource passphrase) {
        this.file = file;
        this.passphrase = passphrase;
    }

    static AsymmetricKeyParameter read(Path file, PassphraseSource passphrase) throws IOException {
        return new PrivateKeyFile(file, passphrase).read();
    }

    private AsymmetricKeyParameter read() throws IOException {
        String text = readText();
        if (text.contains(OPENSSH_BEGIN)) {
            return OpenSshKeyFormat.read(this, text);
        }
        if (text.contains("-----BEGIN ")) {
            return PemKeyFormat.read(this, text);
        }
        if (text.startsWith("ssh-") || text.startsWith("ecdsa-")) {
            throw failure("not a private key file (it holds a public key)");
        }
        throw failure("not a private key file");
    }

    private String readText() throws IOException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw failure("not a private key file (" + size + " bytes)");
            }
            // ISO-8859-1 maps every byte, so a binary file fails as "not a key", not as bad UTF-8.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw failure("cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw failure("cannot read: permission denied");
        } catch (KeyFileException e) {
            throw e;
        } catch (IOException e) {
            throw failure("cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The passphrase as UTF-8 (as OpenSSH takes it), or a failure when none is given. */
    byte[] passphraseBytes() throws IOException {
        char[] chars = passphraseChars();
        // Encoded without a String, which could not be wiped.
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        try {
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } finally {
            Arrays.fill(chars, '\0');
            Arrays.fill(encoded.array(), (byte) 0);
        }
    }

    /** The passphrase; the caller wipes the array. */
    char[] passphraseChars() throws IOException {
        char[] chars = passphrase.passphraseFor(file);
        if (chars == null || chars.length == 0) {
            throw failure("is encrypted and no passphrase was given");
        }
        return chars;
    }

    KeyFileException failure(String reason) {
        return new KeyFileException(file, reason);
    }

    KeyFileException wrongPassphrase() {
        return failure("wrong passphrase");
    }
}
