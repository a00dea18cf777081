package rtunnel.auth;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.AuthRetry;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.ServerHello;

/**
 * The client's side of the handshake: offers its ephemeral key and protections, checks the server's
 * host-key signature over the transcript and asks its {@link ServerTrust} about the key, agrees session keys,
 * and proves its keys (and sends its token) in the protected AUTH frames, one key after another until the
 * server accepts one.
 */
public final class ClientHandshake {

    /**
     * What a handshake that got in learned.
     *
     * @param serverKey the server's proven host key
     * @param accepted the client's key the server accepted, or null when the client offered none
     * @param refusals why the server refused each key offered before it, in order
     */
    public record Authenticated(SshPublicKey serverKey, ClientIdentity accepted, List<String> refusals) {
    }

    private final SecureRandom random;
    private final byte[] clientToken;
    private final List<ClientIdentity> identities;
    private final ServerTrust trust;
    private final List<ProtectionMode> offered;

    /**
     * @param clientToken kept across reconnects so the server recognises this client; sent in AUTH, protected
     * @param identity the client's key, or null to connect without one
     * @param pinnedFingerprint the server key's {@code SHA256:} fingerprint to insist on, or null to accept any
     */
    public ClientHandshake(SecureRandom random, byte[] clientToken, ClientIdentity identity, String pinnedFingerprint) {
        this(random, clientToken, identity == null ? List.of() : List.of(identity),
                ServerTrust.pinned(pinnedFingerprint == null ? List.of() : List.of(pinnedFingerprint)),
                ProtectionMode.DEFAULT);
    }

    /**
     * Like the other constructor, offering each of {@code identities} in turn (none: connecting without a
     * key), going on only with a server whose proven host key {@code trust} accepts, and offering only
     * {@code offered} frame protections, best first.
     */
    public ClientHandshake(SecureRandom random, byte[] clientToken, List<ClientIdentity> identities,
            ServerTrust trust, List<ProtectionMode> offered) {
        this.random = random;
        this.clientToken = clientToken.clone();
        this.identities = List.copyOf(identities);
        this.trust = trust;
        this.offered = List.copyOf(offered);
    }

    /**
     * Runs the handshake, preambles first, and returns the server's host key and the key it accepted.
     *
     * @throws RefusedException when the server, having proven its host key, refuses this client; when its
     *     host key is not the one {@code trust} accepts; or when a busy server turns the client away at the
     *     door ({@code LIMIT})
     * @throws ProtocolException when the server is not an rtunnel server, cannot prove its host key, or
     *     breaks the protocol; also for any other refusal that comes before the server proved its host key
     */
    public Authenticated run(FrameExchange exchange) throws IOException {
        KeyExchange keyExchange = new KeyExchange(random);
        byte[] nonce = new byte[ClientHello.NONCE_LENGTH];
        random.nextBytes(nonce);
        ClientHello hello = new ClientHello(nonce, keyExchange.publicKey(), ProtectionMode.names(offered));
        exchange.writer().writePreamble();
        exchange.send(hello.toFrame());
        exchange.reader().readPreamble();
        ServerHello answer = serverHello(exchange);
        ProtectionMode mode = ProtectionMode.named(answer.protection())
                .filter(chosen -> hello.protections().contains(chosen.wireName()))
                .orElseThrow(() -> new ProtocolException("server chose frame protection '" + answer.protection()
                        + "', which this client did not offer"));
        byte[] transcript = Transcript.hash(hello, answer);
        SshPublicKey serverKey = verifiedHostKey(answer, transcript);
        SessionKeys keys = SessionKeys.derive(mode, keyExchange.sharedSecret(answer.ephemeralKey()), transcript);
        exchange.writer().protectWith(keys.clientToServer());
        exchange.reader().protectWith(keys.serverToClient());
        return authenticate(exchange, transcript, serverKey);
    }

    /**
     * Sends AUTH with each key in turn while the server answers AUTH_RETRY. Out of keys, the server's
     * reasons are its refusal: it proved its host key, so its word is final.
     */
    private Authenticated authenticate(FrameExchange exchange, byte[] transcript, SshPublicKey serverKey)
            throws IOException {
        List<String> refusals = new ArrayList<>();
        while (true) {
            ClientIdentity identity = identities.isEmpty() ? null : identities.get(refusals.size());
            exchange.send(authRequest(transcript, identity).toFrame());
            Frame answer = exchange.expect(EnumSet.of(FrameType.AUTH_OK, FrameType.AUTH_RETRY), true);
            if (answer.type() == FrameType.AUTH_OK) {
                if (answer.length() != 0) {
                    throw new ProtocolException("AUTH_OK carries a payload; it must be empty");
                }
                return new Authenticated(serverKey, identity, List.copyOf(refusals));
            }
            refusals.add(AuthRetry.from(answer).reason());
            if (refusals.size() >= identities.size()) {
                throw new RefusedException(Refusal.AUTHENTICATION, "server refused the connection",
                        String.join("; ", refusals));
            }
        }
    }

    /**
     * SERVER_HELLO. An ERROR in its place is unprotected, so anyone on the path could have written it: only
     * a busy server's LIMIT at the door ({@code ClientGate}) keeps its refusal, and any other becomes a
     * protocol error, which the client retries like a lost connection instead of taking it as final.
     */
    private static ServerHello serverHello(FrameExchange exchange) throws IOException {
        try {
            return ServerHello.from(exchange.expect(FrameType.SERVER_HELLO, true));
        } catch (RefusedException e) {
            if (e.refusal() == Refusal.LIMIT) {
                throw e;
            }
            throw new ProtocolException("server refused the connection before proving its host key: " + e.reason());
        }
    }

    private SshPublicKey verifiedHostKey(ServerHello answer, byte[] transcript) throws IOException {
        if (answer.hostKey().length == 0) {
            throw new ProtocolException("server did not prove its identity (no host key)");
        }
        SshPublicKey serverKey;
        try {
            serverKey = SshPublicKey.fromBlob(answer.hostKey());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("server host key: " + e.getMessage());
        }
        if (!serverKey.verify(Transcript.serverSigned(transcript), answer.signature())) {
            throw new ProtocolException("server host key " + serverKey.fingerprint() + " signature does not verify");
        }
        trust.verify(serverKey);
        return serverKey;
    }

    private AuthRequest authRequest(byte[] transcript, ClientIdentity identity) throws IOException {
        if (identity == null) {
            return AuthRequest.anonymous(clientToken);
        }
        byte[] blob = identity.publicKey().blob();
        return new AuthRequest(clientToken, blob, identity.sign(Transcript.clientSigned(transcript, blob)));
    }
}
