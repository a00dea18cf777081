package rtunnel.auth;

/**
 * What the server learned in a handshake.
 *
 * @param clientToken the random token the client keeps across reconnects (identifies it without a key); it
 *     arrives in AUTH, the first protected frame
 * @param protection the frame protection agreed
 * @param clientKey the key the client proved it holds, or null when it offered none
 * @param authorized the authorized-keys entry that admitted it, or null on a server without {@code -a}
 */
public record HandshakeResult(byte[] clientToken, String protection, SshPublicKey clientKey, AuthorizedKey authorized) {
}
