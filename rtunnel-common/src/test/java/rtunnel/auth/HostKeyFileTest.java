package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host key a server makes on first start, and its public half beside it for clients' known_hosts. */
@Timeout(60)
class HostKeyFileTest {

    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    @Test
    void aNewHostKeyIsOwnerOnlyAndItsPublicHalfIsWrittenBesideIt(@TempDir Path home) throws Exception {
        Path file = home.resolve(".rtunnel/host_ed25519_key");

        SshPublicKey key = HostKeyFile.loadOrCreate(file, new SecureRandom()).publicKey();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Path pub = home.resolve(".rtunnel/host_ed25519_key.pub");
        assertEquals(pub, HostKeyFile.publicFile(file));
        assertEquals("ssh-ed25519 " + Base64.getEncoder().encodeToString(key.blob()) + "\n", Files.readString(pub));
        assumeTrue(Files.isExecutable(SSH_KEYGEN), "needs " + SSH_KEYGEN);
        Process derived = new ProcessBuilder(SSH_KEYGEN.toString(), "-y", "-f", file.toString())
                .redirectErrorStream(true).start();
        String said = new String(derived.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(derived.waitFor(30, TimeUnit.SECONDS), "ssh-keygen -y hung");
        assertEquals(Files.readString(pub).strip(), said.strip(), "what ssh-keygen -y derives from the key");
    }
}
