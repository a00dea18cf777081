package rtunnel.auth;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's host key file: an existing OpenSSH host key (any type ssh-keygen writes), or a new ed25519
 * key generated on first start, written in the OpenSSH format with owner-only permissions, with its public
 * half beside it in {@code FILE.pub} (as ssh-keygen leaves it), ready for clients' known_hosts files.
 */
public final class HostKeyFile {

    private static final Logger log = LoggerFactory.getLogger(HostKeyFile.class);

    private HostKeyFile() {
    }

    /** Loads {@code file}, creating it (and its directory) with a new ed25519 key if it does not exist. */
    public static SshPrivateKey loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            create(file, random);
        }
        return SshPrivateKey.load(file, PassphraseSource.NONE);
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(random);
        byte[] blob = OpenSSHPrivateKeyUtil.encodePrivateKey(key);
        String body = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(blob);
        String text = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n";
        try (Writer out = Files.newBufferedWriter(Files.createFile(file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                StandardCharsets.US_ASCII, StandardOpenOption.WRITE)) {
            out.write(text);
        } catch (FileAlreadyExistsException e) {
            // Another server started at the same moment created it first; load theirs.
            return;
        }
        SshPublicKey publicKey = SshPublicKey.fromParameters(key.generatePublicKey());
        Files.writeString(publicFile(file), publicKey.type() + " "
                + Base64.getEncoder().encodeToString(publicKey.blob()) + "\n", StandardCharsets.US_ASCII);
        log.info("generated host key {}", file);
    }

    /** Where the public half of a host key this server generates is written: the key file's name and .pub. */
    public static Path publicFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".pub");
    }
}
