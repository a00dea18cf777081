package rtunnel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one hostile handshake costs the server in CPU, on the server's own thread, with the costliest key the
 * limits allow (the longest RSA modulus, the longest exponent, all ones) and a signature that makes the
 * server do the whole exponentiation: at most {@link #BUDGET_NANOS} once warm, with or without {@code -a}.
 * CPU time is only worth measuring on a quiet machine (contention inflates every figure, 2-3 times on these
 * shared two cores), so this runs when asked, as docs/security.md says:
 * {@code mvn test -pl rtunnel-common -Dtest=HostileHandshakeCostTest -Drtunnel.measureHandshakeCost=true}.
 * That page gives the figures it prints. What keeps the costly part away from keys the server refuses is
 * proven on every run, by {@link KeyCheckOrderTest}.
 */
@Timeout(300)
@EnabledIfSystemProperty(named = "rtunnel.measureHandshakeCost", matches = "true")
class HostileHandshakeCostTest {

    /** The most one handshake may cost the server, whatever the client sends (docs/security.md). */
    static final long BUDGET_NANOS = 5_000_000;

    /**
     * Handshakes before measuring: the JIT must have compiled what a flood of handshakes would make it, and
     * BigInteger's Montgomery multiplication takes thousands of calls to get there.
     */
    private static final int WARM_UP = 500;
    private static final int MEASURED = 40;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final ExecutorService SERVER = Executors.newSingleThreadExecutor(
            task -> new Thread(task, "rtunnel-test-costed-server"));
    private static SshPrivateKey hostKey;
    private static byte[] costliest;
    private static ClientAdmission listingIt;
    private static ServerSocket listener;

    @BeforeAll
    static void makeTheCostliestKeyAndListIt(@TempDir Path dir) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        hostKey = Fixtures.privateKey("ed25519");
        BigInteger modulus = oddWithoutSmallFactors(SshPublicKey.MAX_RSA_BITS / 2)
                .multiply(oddWithoutSmallFactors(SshPublicKey.MAX_RSA_BITS / 2));
        assertEquals(SshPublicKey.MAX_RSA_BITS, modulus.bitLength());
        BigInteger exponent = BigInteger.ONE.shiftLeft(SshPublicKey.MAX_RSA_EXPONENT_BITS).subtract(BigInteger.ONE);
        costliest = ScriptedClient.rsaBlob(exponent, modulus);
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, "ssh-rsa " + Base64.getEncoder().encodeToString(costliest) + " costliest\n");
        AuthorizedKeys keys = AuthorizedKeys.load(file);
        listingIt = new AuthorizedKeysAdmission(() -> keys);
    }

    @AfterAll
    static void stopTheServerThread() throws IOException {
        SERVER.shutdownNow();
        listener.close();
    }

    @Test
    void theCostliestKeyOnAnOpenServer() throws Exception {
        assertWithinBudget("open server, " + SshPublicKey.MAX_RSA_BITS + "-bit RSA key", ClientAdmission.OPEN, costliest, rsaSignature());
    }

    @Test
    void theCostliestKeyListedOnAServerWithAuthorizedKeys() throws Exception {
        assertWithinBudget("-a, listed " + SshPublicKey.MAX_RSA_BITS + "-bit RSA key", listingIt, costliest, rsaSignature());
    }

    @Test
    void anUnlistedKeyOnAServerWithAuthorizedKeys() throws Exception {
        assertWithinBudget("-a, unlisted " + SshPublicKey.MAX_RSA_BITS + "-bit RSA key", listingIt, rsaBlobOf(costliest), rsaSignature());
    }

    @Test
    void anEcdsaP384KeyOnAnOpenServer() throws Exception {
        assertWithinBudget("open server, ECDSA P-384 key", ClientAdmission.OPEN, Fixtures.publicBlob("ecdsa384"),
                ecdsaSignature("ecdsa-sha2-nistp384", 384));
    }

    @Test
    void anEcdsaP521KeyOnAnOpenServer() throws Exception {
        assertWithinBudget("open server, ECDSA P-521 key", ClientAdmission.OPEN, Fixtures.publicBlob("ecdsa521"),
                ecdsaSignature("ecdsa-sha2-nistp521", 521));
    }

    @Test
    void noKeyAtAll() throws Exception {
        assertWithinBudget("open server, no key", ClientAdmission.OPEN, new byte[0], new byte[0]);
    }

    private static void assertWithinBudget(String what, ClientAdmission admission, byte[] keyBlob, byte[] signature)
            throws Exception {
        long cold = handshake(admission, keyBlob, signature);
        for (int i = 0; i < WARM_UP; i++) {
            handshake(admission, keyBlob, signature);
        }
        long[] costs = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            costs[i] = handshake(admission, keyBlob, signature);
        }
        Arrays.sort(costs);
        System.out.printf("hostile handshake cost, Java %s, %s: first %.2f ms; then median %.2f ms, max %.2f ms%n",
                System.getProperty("java.specification.version"), what, cold / 1e6, costs[MEASURED / 2] / 1e6,
                costs[MEASURED - 1] / 1e6);
        assertTrue(costs[MEASURED / 2] <= BUDGET_NANOS, what + ": median " + costs[MEASURED / 2] / 1e6 + " ms");
    }

    /** The server's CPU time for one handshake whose AUTH carries {@code keyBlob} and {@code signature}. */
    private static long handshake(ClientAdmission admission, byte[] keyBlob, byte[] signature) throws Exception {
        try (Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket server = listener.accept()) {
            FrameExchange serverSide = ScriptedClient.exchangeOver(server);
            Future<Long> cost = SERVER.submit(() -> {
                long start = THREADS.getCurrentThreadCpuTime();
                try {
                    new ServerHandshake(RANDOM, hostKey, admission).run(serverSide);
                } catch (IOException expected) {
                    // Refused, as every hostile handshake here is: the cost is what counts.
                }
                return THREADS.getCurrentThreadCpuTime() - start;
            });
            ScriptedClient.authenticate(ScriptedClient.exchangeOver(client), keyBlob, signature, RANDOM);
            return cost.get(30, TimeUnit.SECONDS);
        }
    }

    /** An rsa-sha2-256 signature blob holding a random number as long as the modulus: checked to the end. */
    private static byte[] rsaSignature() {
        byte[] number = BigIntegers.asUnsignedByteArray(SshPublicKey.MAX_RSA_BITS / 8,
                new BigInteger(SshPublicKey.MAX_RSA_BITS - 1, RANDOM));
        return new SshBlobWriter().writeText("rsa-sha2-256").writeString(number).toByteArray();
    }

    /** An ECDSA signature blob with random r and s below the curve's order: checked to the end. */
    private static byte[] ecdsaSignature(String algorithm, int bits) {
        byte[] rs = new SshBlobWriter().writeMpint(new BigInteger(bits - 1, RANDOM))
                .writeMpint(new BigInteger(bits - 1, RANDOM)).toByteArray();
        return new SshBlobWriter().writeText(algorithm).writeString(rs).toByteArray();
    }

    /** Another key of the same size: {@code blob}'s modulus plus two, never listed. */
    private static byte[] rsaBlobOf(byte[] blob) {
        SshBlobReader reader = new SshBlobReader(blob);
        reader.readText();
        BigInteger exponent = reader.readPositiveMpint();
        return ScriptedClient.rsaBlob(exponent, reader.readPositiveMpint().add(BigInteger.TWO));
    }

    /** A random odd number of exactly {@code bits} bits, its top two set, with no small prime factor. */
    private static BigInteger oddWithoutSmallFactors(int bits) {
        while (true) {
            BigInteger candidate = new BigInteger(bits, RANDOM).setBit(bits - 1).setBit(bits - 2).setBit(0);
            if (!BigIntegers.hasAnySmallFactors(candidate)) {
                return candidate;
            }
        }
    }
}
