package rtunnel.auth;

/**
 * What the server learned in a handshake.
 *
 * @param clientToken the random token the client keeps across reconnects (identifies it without a key)
 * @param protection the frame protection agreed
 */
public record HandshakeResult(byte[] clientToken, String protection) {
}
