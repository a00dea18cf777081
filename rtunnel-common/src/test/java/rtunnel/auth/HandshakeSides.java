package rtunnel.auth;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.FrameReader;
import rtunnel.protocol.FrameWriter;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;

/**
 * The two sides of the handshake as the fuzz tests run them: set up from one byte of the input, with the
 * ssh-keygen fixture keys and a fixed random source (so the same input plays the same handshake), over
 * in-memory streams, where only what {@code run} documents may end them: a {@link ProtocolException}, a
 * {@link RefusedException}, or an {@link EOFException} when the peer hangs up between frames. Anything else
 * escapes, and the fuzzer reports it.
 */
final class HandshakeSides {

    static final SshPrivateKey HOST_KEY;
    /** The keys a client may hold; the first one is also what an unconfigured client holds. */
    static final List<SshPrivateKey> CLIENT_KEYS;
    private static final AuthorizedKeys AUTHORIZED;

    static {
        try {
            HOST_KEY = Fixtures.privateKey("ed25519");
            CLIENT_KEYS = List.of(Fixtures.privateKey("ed25519"), Fixtures.privateKey("ecdsa256"),
                    Fixtures.privateKey("rsa2048"));
            AUTHORIZED = AuthorizedKeys.load(Fixtures.path("authorized_keys"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Server flags: only keys in the fixture authorized_keys file are admitted (otherwise anyone is). */
    static final int AUTHORIZED_KEYS_ONLY = 1;
    /** Server flags, two bits: 0 accepts the default protections, then integrity only, then encrypted only. */
    static final int ACCEPTED_SHIFT = 1;
    /** Client flags: the client has no key. */
    static final int ANONYMOUS = 1;
    /** Client flags: the client insists on the host key's fingerprint, or (with both bits) on another one. */
    static final int PINS_HOST_KEY = 2;
    static final int PINS_ANOTHER_KEY = 4;
    /** Client flags: the client offers integrity only. */
    static final int OFFERS_INTEGRITY_ONLY = 8;

    private HandshakeSides() {
    }

    static ServerHandshake server(int flags) {
        List<List<ProtectionMode>> accepted = List.of(ProtectionMode.DEFAULT, ProtectionMode.INTEGRITY_ONLY,
                ProtectionMode.ENCRYPTED_ONLY, ProtectionMode.DEFAULT);
        ClientAdmission admission = (flags & AUTHORIZED_KEYS_ONLY) != 0 ? new AuthorizedKeysAdmission(() -> AUTHORIZED)
                : ClientAdmission.OPEN;
        return new ServerHandshake(fixedRandom("server"), HOST_KEY, admission, accepted.get((flags >> ACCEPTED_SHIFT) & 3));
    }

    static ClientHandshake client(int flags) {
        List<String> pins = (flags & PINS_ANOTHER_KEY) != 0 ? List.of(CLIENT_KEYS.get(1).publicKey().fingerprint())
                : (flags & PINS_HOST_KEY) != 0 ? List.of(HOST_KEY.publicKey().fingerprint()) : List.of();
        return new ClientHandshake(fixedRandom("client"), new byte[AuthRequest.TOKEN_LENGTH],
                (flags & ANONYMOUS) != 0 ? List.of() : List.of(CLIENT_KEYS.get(0)), ServerTrust.pinned(pins),
                (flags & OFFERS_INTEGRITY_ONLY) != 0 ? ProtectionMode.INTEGRITY_ONLY : ProtectionMode.DEFAULT);
    }

    /** The same bytes on every call for the same {@code purpose}: a side's nonce and ephemeral key among them. */
    static SecureRandom fixedRandom(String purpose) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(purpose.getBytes(StandardCharsets.US_ASCII));
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA1PRNG", e);
        }
    }

    /** Runs the server's side, reading what the client sent from {@code in} and writing its answers to {@code out}. */
    static void serve(ServerHandshake server, InputStream in, OutputStream out) throws IOException {
        try {
            server.run(new FrameExchange(new FrameReader(in), new FrameWriter(out)));
        } catch (ProtocolException | RefusedException | EOFException documented) {
            // ServerHandshake.run documents the first two; the third is FrameExchange's hang-up between frames.
        }
    }

    /** Runs the client's side, likewise. */
    static void connect(ClientHandshake client, InputStream in, OutputStream out) throws IOException {
        try {
            client.run(new FrameExchange(new FrameReader(in), new FrameWriter(out)));
        } catch (ProtocolException | RefusedException | EOFException documented) {
            // ClientHandshake.run documents the first two; the third is FrameExchange's hang-up between frames.
        }
    }
}
