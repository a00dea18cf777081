package rtunnel.auth;

import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import rtunnel.protocol.ProtocolException;

/** One side's ephemeral X25519 key pair, used for one handshake and then forgotten. */
final class KeyExchange {

    static final int KEY_LENGTH = X25519PublicKeyParameters.KEY_SIZE;

    private final X25519PrivateKeyParameters privateKey;

    KeyExchange(SecureRandom random) {
        privateKey = new X25519PrivateKeyParameters(random);
    }

    /** The 32-byte public key to send. */
    byte[] publicKey() {
        return privateKey.generatePublicKey().getEncoded();
    }

    /** The shared secret with the peer's public key; refuses keys that would make it all zero. */
    byte[] sharedSecret(byte[] peerPublicKey) throws ProtocolException {
        if (peerPublicKey.length != KEY_LENGTH) {
            throw new ProtocolException("X25519 key of " + peerPublicKey.length + " bytes, not " + KEY_LENGTH);
        }
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(privateKey);
        byte[] secret = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey, 0), secret, 0);
        } catch (IllegalStateException e) {
            throw new ProtocolException("peer's X25519 key is degenerate (low order)");
        }
        return secret;
    }
}
