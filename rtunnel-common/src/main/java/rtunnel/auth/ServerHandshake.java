package rtunnel.auth;

import java.io.IOException;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.ServerHello;
import rtunnel.protocol.SessionError;

/**
 * The server's side of the handshake: answers CLIENT_HELLO with its ephemeral key, agrees session keys,
 * switches both directions to protected frames, and checks the client's AUTH.
 */
public final class ServerHandshake {

    private static final Logger log = LoggerFactory.getLogger(ServerHandshake.class);

    private final SecureRandom random;

    public ServerHandshake(SecureRandom random) {
        this.random = random;
    }

    /**
     * Runs the handshake, preambles first. On success every later frame is protected. A peer
     * that breaks the rules gets an ERROR frame naming the problem before the exception propagates.
     */
    public HandshakeResult run(FrameExchange exchange) throws IOException {
        try {
            exchange.writer().writePreamble();
            exchange.writer().flush();
            exchange.reader().readPreamble();
            ClientHello hello = ClientHello.from(exchange.expect(FrameType.CLIENT_HELLO));
            ProtectionMode mode = choose(hello);
            KeyExchange keyExchange = new KeyExchange(random);
            ServerHello answer = new ServerHello(nonce(), keyExchange.publicKey(), mode.wireName(), false,
                    new byte[0], new byte[0]);
            exchange.send(answer.toFrame());
            byte[] transcript = Transcript.hash(hello, answer);
            SessionKeys keys = SessionKeys.derive(mode, keyExchange.sharedSecret(hello.ephemeralKey()), transcript);
            exchange.writer().protectWith(keys.serverToClient());
            exchange.reader().protectWith(keys.clientToServer());
            AuthRequest.from(exchange.expect(FrameType.AUTH));
            exchange.send(Frame.empty(FrameType.AUTH_OK, 0));
            return new HandshakeResult(hello.clientToken(), mode.wireName());
        } catch (ProtocolException e) {
            tellPeer(exchange, e.getMessage());
            throw e;
        }
    }

    private static ProtectionMode choose(ClientHello hello) throws ProtocolException {
        for (String offered : hello.protections()) {
            var mode = ProtectionMode.named(offered);
            if (mode.isPresent()) {
                return mode.get();
            }
        }
        throw new ProtocolException("no common frame protection: client offers "
                + String.join(",", hello.protections()) + ", server knows " + String.join(",", ProtectionMode.offered()));
    }

    private byte[] nonce() {
        byte[] nonce = new byte[ClientHello.NONCE_LENGTH];
        random.nextBytes(nonce);
        return nonce;
    }

    /** Best effort: the peer may be gone or not speak rtunnel at all, and the session ends either way. */
    private static void tellPeer(FrameExchange exchange, String reason) {
        try {
            exchange.send(new SessionError(null, reason).toFrame());
        } catch (IOException e) {
            log.debug("could not send the error to the peer: {}", e.getMessage());
        }
    }
}
