package rtunnel.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * CLIENT_HELLO, the client's first frame, in the clear: a fresh nonce, an ephemeral X25519 public key, and
 * the frame protections it accepts, best first. Nothing in it identifies the client.
 */
public record ClientHello(byte[] nonce, byte[] ephemeralKey, List<String> protections) {

    /** Length of the random nonce each side sends. */
    public static final int NONCE_LENGTH = 32;
    /** Length of an X25519 public key. */
    public static final int KEY_LENGTH = 32;

    public ClientHello {
        protections = List.copyOf(protections);
    }

    public Frame toFrame() {
        return new PayloadBuilder().bytes(nonce).bytes(ephemeralKey).string16(String.join(",", protections))
                .toFrame(FrameType.CLIENT_HELLO, Protocol.SESSION_STREAM);
    }

    public static ClientHello from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        byte[] nonce = payload.bytes(NONCE_LENGTH);
        byte[] key = payload.bytes(KEY_LENGTH);
        String protections = payload.string16();
        payload.expectEnd();
        return new ClientHello(nonce, key, Arrays.asList(protections.split(",", -1)));
    }
}
