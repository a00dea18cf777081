package rtunnel.auth;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.AuthRetry;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.PeerText;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;
import rtunnel.protocol.ServerHello;
import rtunnel.protocol.SessionError;

/**
 * The server's side of the handshake: answers CLIENT_HELLO with its ephemeral key and a host-key signature
 * over the transcript, agrees session keys, switches both directions to protected frames, and checks the
 * client's AUTH against the admission rule.
 */
public final class ServerHandshake {

    private static final Logger log = LoggerFactory.getLogger(ServerHandshake.class);

    /**
     * How many keys one connection may offer, as sshd's {@code MaxAuthTries} (default 6): room for an
     * agent's few keys and a key file, while a client probing which keys are listed must reconnect, and pass
     * the door's limits again, every 6 keys. Refusing a key costs no signature check, so 6 cost next to nothing.
     */
    public static final int MAX_AUTH_TRIES = 6;

    private final SecureRandom random;
    private final SshPrivateKey hostKey;
    private final ClientAdmission admission;
    private final List<ProtectionMode> accepted;

    /** A server that accepts the default frame protections. */
    public ServerHandshake(SecureRandom random, SshPrivateKey hostKey, ClientAdmission admission) {
        this(random, hostKey, admission, ProtectionMode.DEFAULT);
    }

    /** A server that agrees only to the {@code accepted} protections (the client's preference decides among them). */
    public ServerHandshake(SecureRandom random, SshPrivateKey hostKey, ClientAdmission admission,
            List<ProtectionMode> accepted) {
        this.random = random;
        this.hostKey = hostKey;
        this.admission = admission;
        this.accepted = List.copyOf(accepted);
    }

    /**
     * Runs the handshake, preambles first. On success every later frame is protected. A peer that breaks
     * the rules, or is refused, gets an ERROR frame with the reason before the exception propagates.
     *
     * @throws RefusedException when the client's key is missing, unknown, revoked or its signature is bad
     * @throws ProtocolException when the peer does not follow the protocol
     */
    public HandshakeResult run(FrameExchange exchange) throws IOException {
        return run(exchange, HandshakeProgress.NONE);
    }

    /** {@link #run(FrameExchange)}, telling {@code progress} when CLIENT_HELLO and AUTH have arrived. */
    public HandshakeResult run(FrameExchange exchange, HandshakeProgress progress) throws IOException {
        try {
            exchange.writer().writePreamble();
            exchange.writer().flush();
            exchange.reader().readPreamble();
            ClientHello hello = ClientHello.from(exchange.expect(FrameType.CLIENT_HELLO, false));
            progress.reached(HandshakeProgress.Step.HELLO);
            ProtectionMode mode = choose(hello);
            KeyExchange keyExchange = new KeyExchange(random);
            byte[] nonce = new byte[ClientHello.NONCE_LENGTH];
            random.nextBytes(nonce);
            ServerHello unsigned = new ServerHello(nonce, keyExchange.publicKey(), mode.wireName(),
                    admission.keyRequired(), hostKey.publicKey().blob(), new byte[0]);
            byte[] transcript = Transcript.hash(hello, unsigned);
            ServerHello answer = new ServerHello(unsigned.nonce(), unsigned.ephemeralKey(), unsigned.protection(),
                    unsigned.keyRequired(), unsigned.hostKey(), hostKey.sign(Transcript.serverSigned(transcript)));
            byte[] sharedSecret = keyExchange.sharedSecret(hello.ephemeralKey());
            exchange.send(answer.toFrame());
            SessionKeys keys = SessionKeys.derive(mode, sharedSecret, transcript);
            exchange.writer().protectWith(keys.serverToClient());
            exchange.reader().protectWith(keys.clientToServer());
            return authenticate(exchange, transcript, mode, progress);
        } catch (RefusedException e) {
            tellPeer(exchange, new SessionError(e.refusal(), e.reason()));
            throw e;
        } catch (ProtocolException e) {
            tellPeer(exchange, new SessionError(null, e.getMessage()));
            throw e;
        }
    }

    /**
     * Reads AUTH frames until one is admitted, answering AUTH_RETRY to each key the admission rule refuses
     * (up to {@link #MAX_AUTH_TRIES}), and AUTH_OK to the admitted one. The admission rule sees each key
     * before its signature is checked, so a key it refuses costs no signature check. A bad signature, a
     * client without a key where one is required, or one key too many ends the handshake.
     */
    private HandshakeResult authenticate(FrameExchange exchange, byte[] transcript, ProtectionMode mode,
            HandshakeProgress progress) throws IOException {
        for (int tries = 1; ; tries++) {
            AuthRequest auth = AuthRequest.from(exchange.expect(FrameType.AUTH, false));
            progress.reached(HandshakeProgress.Step.AUTH);
            SshPublicKey key = null;
            if (!auth.isAnonymous()) {
                try {
                    key = admission.keyToVerify(auth.publicKey());
                } catch (RefusedException e) {
                    if (tries == MAX_AUTH_TRIES) {
                        throw ClientAdmission.refused(e.reason() + ", and " + MAX_AUTH_TRIES
                                + " keys are the most one connection may offer");
                    }
                    progress.keyRefused(e.reason());
                    exchange.send(new AuthRetry(e.reason()).toFrame());
                    continue;
                }
                if (!key.verify(Transcript.clientSigned(transcript, auth.publicKey()), auth.signature())) {
                    throw ClientAdmission.refused("signature by key " + key.fingerprint() + " does not verify");
                }
            }
            AuthorizedKey authorized = admission.admit(key);
            exchange.send(Frame.empty(FrameType.AUTH_OK, 0));
            return new HandshakeResult(auth.clientToken(), mode.wireName(), key, authorized);
        }
    }

    /** The first protection the client offers that this server accepts. */
    private ProtectionMode choose(ClientHello hello) throws ProtocolException {
        for (String offered : hello.protections()) {
            var mode = ProtectionMode.named(offered).filter(accepted::contains);
            if (mode.isPresent()) {
                return mode.get();
            }
        }
        throw new ProtocolException("no common frame protection: client offers '"
                + PeerText.safe(String.join(",", hello.protections())) + "', server accepts "
                + String.join(",", ProtectionMode.names(accepted)));
    }

    /** Best effort: the peer may be gone or not speak rtunnel at all, and the session ends either way. */
    private static void tellPeer(FrameExchange exchange, SessionError error) {
        try {
            exchange.send(error.toFrame());
        } catch (IOException e) {
            log.debug("could not send the error to the peer: {}", e.getMessage());
        }
    }
}
