package rtunnel.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rtunnel.protocol.PayloadBuilder;
import rtunnel.testing.Allocation;
import rtunnel.testing.FuzzInput;
import rtunnel.testing.FuzzLimits;
import rtunnel.testing.Seeds;

/**
 * Any key blob a peer sends (a client's in AUTH, a server's in SERVER_HELLO) is parsed or refused with the
 * {@link IllegalArgumentException} {@link SshPublicKey#fromBlob} documents, and any signature blob makes
 * {@link SshPublicKey#verify} answer true or false, never throw; both quickly and in bounded memory. An input
 * is a kind, the key (a raw blob, or a key type and its fields, which spares the fuzzer the length
 * prefixes), then the signature blob. Seeds: the ssh-keygen fixtures with real signatures.
 */
class SshPublicKeyFuzzTest {

    /** What the seeds' signatures sign. */
    private static final byte[] DATA = "rtunnel v1 client signature, or any other data".getBytes(StandardCharsets.US_ASCII);
    /** Each key type and how many string fields follow its name in a blob. */
    private static final List<String> TYPES = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");
    private static final int RAW_BLOB = 0;
    private static final int FIELDS = 1;

    @MethodSource("fixtureKeys")
    @FuzzTest
    @Timeout(value = FuzzLimits.REPLAY_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anyKeyAndSignatureParseAndVerifyOrAreRefused(byte[] input) throws Exception {
        FuzzInput fields = new FuzzInput(input);
        byte[] blob = fields.u8() % 2 == RAW_BLOB ? fields.bytes16() : blobFromFields(fields);
        byte[] signature = fields.rest();
        Allocation.atMost(FuzzLimits.HANDSHAKE_CRYPTO + FuzzLimits.readingAndDecoding(input.length), "a key check",
                () -> parseAndVerify(blob, signature));
    }

    private static void parseAndVerify(byte[] blob, byte[] signature) {
        SshPublicKey key;
        try {
            key = SshPublicKey.fromBlob(blob);
        } catch (IllegalArgumentException documented) {
            // fromBlob's refusal of a malformed, unsupported or short key.
            return;
        }
        key.verify(DATA, signature);
    }

    private static byte[] blobFromFields(FuzzInput fields) {
        String type = TYPES.get(fields.u8() % TYPES.size());
        SshBlobWriter blob = new SshBlobWriter().writeText(type);
        int count = type.equals("ssh-ed25519") ? 1 : 2;
        for (int i = 0; i < count; i++) {
            blob.writeString(fields.bytes16());
        }
        return blob.toByteArray();
    }

    static Stream<Arguments> fixtureKeys() throws IOException {
        Seeds seeds = new Seeds(Seeds.FOR_CRYPTO);
        for (String name : List.of("ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa2048", "rsa3072")) {
            byte[] blob = Fixtures.publicBlob(name);
            byte[] signature = Fixtures.privateKey(name).sign(DATA);
            seeds.add(name + " blob", new PayloadBuilder().u8(RAW_BLOB).bytes16(blob).bytes(signature).toByteArray());
            seeds.add(name + " fields", fields(blob).bytes(signature).toByteArray());
        }
        return seeds.stream();
    }

    /** The seed input that builds {@code blob} from its type and fields. */
    private static PayloadBuilder fields(byte[] blob) {
        SshBlobReader reader = new SshBlobReader(blob);
        String type = reader.readText();
        PayloadBuilder input = new PayloadBuilder().u8(FIELDS).u8(TYPES.indexOf(type));
        for (int i = 0; i < (type.equals("ssh-ed25519") ? 1 : 2); i++) {
            input.bytes16(reader.readString());
        }
        return input;
    }
}
