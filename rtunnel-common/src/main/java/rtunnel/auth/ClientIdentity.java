package rtunnel.auth;

import java.io.IOException;

/** A key the client proves it holds: a private key file, or a key held by ssh-agent. */
public interface ClientIdentity {

    SshPublicKey publicKey();

    /** An SSH signature blob over {@code data}. */
    byte[] sign(byte[] data) throws IOException;
}
