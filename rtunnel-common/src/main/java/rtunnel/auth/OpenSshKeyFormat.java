package rtunnel.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;

/**
 * The OpenSSH private key format (PROTOCOL.key, "openssh-key-v1"), read with BouncyCastle. The
 * unencrypted header names the cipher and holds the public key, so an unsupported or short key is
 * refused before anyone is asked for a passphrase.
 */
final class OpenSshKeyFormat {

    private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    /**
     * What BouncyCastle 1.87 says, in an IllegalStateException, when the passphrase is wrong: the check
     * words differ (aes*-ctr, aes*-cbc) or the authentication tag fails (aes*-gcm, chacha20-poly1305).
     */
    private static final Set<String> WRONG_PASSPHRASE = Set.of(
            "private key check values are not the same",
            "unable to decrypt OpenSSH private key (bad passphrase or corrupted key)");

    private OpenSshKeyFormat() {
    }

    static AsymmetricKeyParameter read(PrivateKeyFile file, String text) throws IOException {
        byte[] blob = decodeBody(file, text);
        String cipher = checkHeader(file, blob);
        if (cipher.equals("none")) {
            return parse(file, blob, null, cipher);
        }
        byte[] passphrase = file.passphraseBytes();
        try {
            return parse(file, blob, passphrase, cipher);
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }

    private static AsymmetricKeyParameter parse(PrivateKeyFile file, byte[] blob, byte[] passphrase, String cipher)
            throws KeyFileException {
        AsymmetricKeyParameter key;
        try {
            key = passphrase == null
                    ? OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob)
                    : OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob, passphrase);
        } catch (IllegalStateException e) {
            if (passphrase != null && WRONG_PASSPHRASE.contains(e.getMessage())) {
                throw file.wrongPassphrase();
            }
            throw malformed(file, passphrase, cipher);
        } catch (RuntimeException e) {
            // BouncyCastle's assorted answers to a blob it cannot read; their messages may quote key
            // bytes, so none is passed on.
            throw malformed(file, passphrase, cipher);
        }
        if (key == null) {
            throw malformed(file, passphrase, cipher);
        }
        return key;
    }

    private static KeyFileException malformed(PrivateKeyFile file, byte[] passphrase, String cipher) {
        return passphrase == null
                ? file.failure("malformed OpenSSH private key")
                : file.failure("cannot decrypt a key encrypted with " + SshKeyType.quote(cipher));
    }

    private static byte[] decodeBody(PrivateKeyFile file, String text) throws KeyFileException {
        int begin = text.indexOf(BEGIN) + BEGIN.length();
        int end = text.indexOf(END, begin);
        if (end < 0) {
            throw file.failure("not a private key file (no " + END + " line)");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(begin, end).strip());
        } catch (IllegalArgumentException e) {
            throw file.failure("malformed OpenSSH private key (bad Base64)");
        }
    }

    /**
     * Reads the unencrypted header (magic, cipher, KDF, KDF options, key count, public key), refuses
     * a public key rtunnel would not accept, and returns the cipher name: "none" or, today, "aes256-ctr".
     */
    private static String checkHeader(PrivateKeyFile file, byte[] blob) throws KeyFileException {
        String cipher;
        byte[] publicKey;
        try {
            SshBlobReader reader = new SshBlobReader(blob);
            if (!Arrays.equals(reader.readRaw(MAGIC.length), MAGIC)) {
                throw file.failure("malformed OpenSSH private key (no openssh-key-v1 header)");
            }
            cipher = reader.readText();
            reader.readString(); // KDF name
            reader.readString(); // KDF options
            int keys = reader.readLength();
            if (keys != 1) {
                throw file.failure("holds " + keys + " keys; rtunnel reads files with exactly one");
            }
            publicKey = reader.readString();
        } catch (IllegalArgumentException e) {
            throw file.failure("malformed OpenSSH private key (truncated header)");
        }
        try {
            SshPublicKey.fromBlob(publicKey);
        } catch (IllegalArgumentException e) {
            throw file.failure(e.getMessage());
        }
        return cipher;
    }
}
