package rtunnel.auth;

import java.io.IOException;
import java.security.SecureRandom;
import rtunnel.protocol.AuthRequest;
import rtunnel.protocol.ClientHello;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.ServerHello;

/**
 * The client's side of the handshake: offers its ephemeral key and protections, agrees session keys with
 * the server's answer, and authenticates in the first protected frame.
 */
public final class ClientHandshake {

    private final SecureRandom random;
    private final byte[] clientToken;

    /** {@code clientToken} is kept across reconnects so the server recognises this client. */
    public ClientHandshake(SecureRandom random, byte[] clientToken) {
        this.random = random;
        this.clientToken = clientToken.clone();
    }

    /**
     * Runs the handshake, preambles first.
     *
     * @throws rtunnel.protocol.RefusedException when the server refuses this client
     * @throws ProtocolException when the server is not an rtunnel server or breaks the protocol
     */
    public void run(FrameExchange exchange) throws IOException {
        KeyExchange keyExchange = new KeyExchange(random);
        byte[] nonce = new byte[ClientHello.NONCE_LENGTH];
        random.nextBytes(nonce);
        ClientHello hello = new ClientHello(nonce, keyExchange.publicKey(), clientToken, ProtectionMode.offered());
        exchange.writer().writePreamble();
        exchange.send(hello.toFrame());
        exchange.reader().readPreamble();
        ServerHello answer = ServerHello.from(exchange.expect(FrameType.SERVER_HELLO));
        ProtectionMode mode = ProtectionMode.named(answer.protection())
                .filter(chosen -> hello.protections().contains(chosen.wireName()))
                .orElseThrow(() -> new ProtocolException("server chose frame protection '" + answer.protection()
                        + "', which this client did not offer"));
        byte[] transcript = Transcript.hash(hello, answer);
        SessionKeys keys = SessionKeys.derive(mode, keyExchange.sharedSecret(answer.ephemeralKey()), transcript);
        exchange.writer().protectWith(keys.clientToServer());
        exchange.reader().protectWith(keys.serverToClient());
        exchange.send(AuthRequest.anonymous().toFrame());
        exchange.expect(FrameType.AUTH_OK);
    }
}
