package rtunnel.auth;

import java.io.IOException;

/** A key the client proves it holds: a private key file, or a key held by ssh-agent. */
public interface ClientIdentity {

    SshPublicKey publicKey();

    /** Where the key comes from, safe to print: its file, or its comment in the agent. Never key material. */
    String origin();

    /** The key as the client names it to its user: fingerprint and origin. */
    default String describe() {
        return publicKey().fingerprint() + " (" + origin() + ")";
    }

    /** An SSH signature blob over {@code data}. */
    byte[] sign(byte[] data) throws IOException;
}
