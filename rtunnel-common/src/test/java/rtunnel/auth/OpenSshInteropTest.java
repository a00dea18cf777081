package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our signatures against OpenSSH's, through the SSHSIG format that ssh-keygen -Y signs and verifies. */
@Timeout(120)
class OpenSshInteropTest {

    private static final String NAMESPACE = "rtunnel-test";
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048"})
    void verifiesSignaturesMadeByOpenSsh(String name) throws IOException {
        SshSig sig = SshSig.parse(Files.readString(Fixtures.path("message." + name + ".sig")));
        byte[] message = Files.readAllBytes(Fixtures.path("message.txt"));
        SshPublicKey key = Fixtures.publicKey(name);

        assertArrayEquals(key.blob(), sig.publicKey());
        assertTrue(key.verify(sig.signedData(message), sig.signature()));
        assertFalse(key.verify(sig.signedData("another message".getBytes(StandardCharsets.UTF_8)), sig.signature()));
    }

    @Test
    void openSshSignsRsaWithSha512() throws IOException {
        SshSig sig = SshSig.parse(Files.readString(Fixtures.path("message.rsa2048.sig")));

        assertEquals("rsa-sha2-512", new SshBlobReader(sig.signature()).readText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa-pkcs8"})
    void openSshVerifiesOurSignatures(String name, @TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(SSH_KEYGEN), "needs " + SSH_KEYGEN);
        SshPrivateKey key = Fixtures.privateKey(name);
        byte[] message = "signed by rtunnel".getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(SshSig.signedData(NAMESPACE, "sha512", message));
        Path messageFile = Files.write(dir.resolve("message"), message);
        Path sigFile = Files.writeString(dir.resolve("message.sig"),
                new SshSig(key.publicKey().blob(), NAMESPACE, "sha512", signature).armor());
        Path allowed = Files.writeString(dir.resolve("allowed_signers"),
                "rtunnel " + key.publicKey().type() + " " + Base64.getEncoder().encodeToString(key.publicKey().blob()) + "\n");

        Process process = new ProcessBuilder(SSH_KEYGEN.toString(), "-Y", "verify", "-f", allowed.toString(),
                "-I", "rtunnel", "-n", NAMESPACE, "-s", sigFile.toString())
                .redirectInput(messageFile.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ssh-keygen did not finish");

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("Good \"" + NAMESPACE + "\" signature for rtunnel"), output);
    }
}
