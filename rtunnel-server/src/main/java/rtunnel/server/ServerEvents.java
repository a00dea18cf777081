package rtunnel.server;

import java.net.InetSocketAddress;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;

/**
 * What a running server reports to whoever started it (the command prints these). Called from the
 * sessions' threads, several at once.
 */
public interface ServerEvents {

    /** Reports nothing: a server embedded in a test or another program. */
    ServerEvents NONE = new ServerEvents() {
    };

    /** The control address is bound, and the server is about to accept clients. */
    default void listening(InetSocketAddress control, String hostKeyFingerprint) {
    }

    /** The ssh gateway ({@code --ssh-port}) is bound at {@code address}. */
    default void sshListening(InetSocketAddress address) {
    }

    /** The metrics and health endpoint ({@code --metrics}) is bound at {@code address}. */
    default void metricsListening(InetSocketAddress address) {
    }

    /** A web port ({@code --https-port} when {@code tls}, else {@code --http-port}) is bound at {@code address}. */
    default void webListening(InetSocketAddress address, boolean tls) {
    }

    /**
     * A client passed the handshake.
     *
     * @param client its address, {@code host:port}
     * @param keyFingerprint its key's {@code SHA256:} fingerprint, or null when it has none
     */
    default void clientConnected(String client, String keyFingerprint) {
    }

    /** The server listens at {@code bound} for {@code client}. */
    default void tunnelUp(HostPort bound, String client) {
    }

    /** The server stopped listening on {@code port} for {@code client}, for {@code reason}. */
    default void tunnelDown(int port, String client, String reason) {
    }

    /** The server routes the visitors of host {@code name} to {@code client}. */
    default void nameUp(String name, String client) {
    }

    /** The server no longer routes {@code name} to {@code client}, for {@code reason}. */
    default void nameDown(String name, String client, String reason) {
    }

    /** A client that had connected is gone, for {@code reason}. */
    default void clientDisconnected(String client, String reason) {
    }

    /** The server refused a key {@code client} offered, for {@code reason}; the client may offer another. */
    default void keyRefused(String client, String reason) {
    }

    /**
     * The server refused {@code client} before its session began, and closed its connection: a key refused
     * for good, no key where one is required, a bad signature, or the door's limits ({@code LIMIT}: turned
     * away on arrival, or its handshake dropped to make room for a newer one).
     */
    default void clientRefused(String client, Refusal refusal, String reason) {
    }

    /** The server refused {@code client} the host name {@code name} (as asked), for {@code reason}. */
    default void nameRefused(String name, String client, Refusal refusal, String reason) {
    }

    /** The server refused to listen at {@code asked} for {@code client}, for {@code reason}. */
    default void portRefused(HostPort asked, String client, Refusal refusal, String reason) {
    }
}
