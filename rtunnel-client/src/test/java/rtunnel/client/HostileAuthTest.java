package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.auth.ScriptedClient;
import rtunnel.auth.SshPublicKey;
import rtunnel.policy.PortRange;
import rtunnel.protocol.AuthRetry;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.SessionError;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.KeyFixtures;

/**
 * What a client names in AUTH decides what the server spends on it, so the server decides first: an
 * unlisted key is refused before its signature is looked at, and an RSA key beyond the limits before any
 * arithmetic, each with its exact reason (in an AUTH_RETRY: the client may offer its next key).
 */
@Timeout(60)
class HostileAuthTest {

    private static final BigInteger F4 = BigInteger.valueOf(65537);

    @Test
    void anUnlistedKeyWithAGarbageSignatureIsNotAuthorizedRatherThanBadlySigned() throws Exception {
        KeyFixtures keys = new KeyFixtures();
        Path authorizedKeys = keys.scratch("authorized_keys");
        Files.writeString(authorizedKeys, keys.publicLine("ed25519") + "\n");
        byte[] stranger = blob(keys.publicLine("ecdsa256"));
        try (TunnelServer server = RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL)
                .withAuthorizedKeys(authorizedKeys))) {
            String fingerprint = SshPublicKey.fingerprint(stranger);

            assertEquals("key " + fingerprint + " is not authorized", refusal(FrameType.AUTH_RETRY, server,
                    stranger, ScriptedClient.garbageSignature("ecdsa-sha2-nistp256")));
            assertEquals("signature by key " + SshPublicKey.fingerprint(blob(keys.publicLine("ed25519")))
                    + " does not verify", refusal(FrameType.ERROR, server, blob(keys.publicLine("ed25519")),
                    ScriptedClient.garbageSignature("ssh-ed25519")));
            // Counted once the session has ended, a moment after its ERROR left.
            Await.until("both refusals counted", RunningTunnel.WAIT, () -> StartupLimitsTest.metric(server,
                    "rtunnel_server_refusals_total{reason=\"authentication\"}") == 2);
        }
    }

    @Test
    void anRsaKeyBeyondTheLimitsIsRefusedWithTheExactReason() throws Exception {
        BigInteger modulus16k = BigInteger.ONE.shiftLeft(16_383).add(BigInteger.ONE);
        BigInteger modulus2k = BigInteger.ONE.shiftLeft(2047).add(BigInteger.ONE);
        BigInteger exponent16k = BigInteger.ONE.shiftLeft(16_383).add(BigInteger.ONE);
        try (TunnelServer server = RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL))) {
            assertEquals("RSA key of 16384 bits is too long (at most 8192)", refusal(FrameType.AUTH_RETRY, server,
                    ScriptedClient.rsaBlob(F4, modulus16k), ScriptedClient.garbageSignature("rsa-sha2-256")));
            assertEquals("RSA public exponent of 16384 bits is too long (at most 32)", refusal(FrameType.AUTH_RETRY,
                    server, ScriptedClient.rsaBlob(exponent16k, modulus2k),
                    ScriptedClient.garbageSignature("rsa-sha2-256")));
        }
    }

    /**
     * The reason the server gives in its answer to an AUTH naming {@code keyBlob} with {@code signature}: an
     * AUTH_RETRY for a key refused before its signature is checked (the client may offer another), an ERROR
     * for one that ends the handshake.
     */
    private static String refusal(FrameType expected, TunnelServer server, byte[] keyBlob, byte[] signature)
            throws IOException {
        try (Socket socket = new Socket(server.controlAddress().getAddress(), server.controlAddress().getPort())) {
            Frame answer = ScriptedClient.authenticate(ScriptedClient.exchangeOver(socket), keyBlob, signature,
                    new SecureRandom());
            assertEquals(expected, answer.type());
            return expected == FrameType.AUTH_RETRY ? AuthRetry.from(answer).reason() : SessionError.from(answer).reason();
        }
    }

    private static byte[] blob(String publicLine) {
        return Base64.getDecoder().decode(publicLine.split(" ")[1]);
    }
}
