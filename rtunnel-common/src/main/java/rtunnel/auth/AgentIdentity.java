package rtunnel.auth;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** A key held by ssh-agent: the agent signs, and the private key never leaves it. Immutable. */
public final class AgentIdentity implements ClientIdentity {

    private final SshAgent agent;
    private final SshPublicKey publicKey;

    public AgentIdentity(SshAgent agent, SshPublicKey publicKey) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    /**
     * The agent's key whose fingerprint ({@code SHA256:...}, as {@code ssh-keygen -l} prints it) is
     * {@code wanted}, or when {@code wanted} is null the first key rtunnel can use.
     *
     * @throws IllegalArgumentException when {@code wanted} is not a SHA256 fingerprint
     * @throws IOException when the agent cannot be reached or holds no such key
     */
    public static AgentIdentity choose(SshAgent agent, String wanted) throws IOException {
        if (wanted != null && !wanted.startsWith("SHA256:")) {
            throw new IllegalArgumentException("not a SHA256 key fingerprint: " + wanted);
        }
        List<SshPublicKey> keys = agent.identities();
        if (wanted == null) {
            if (keys.isEmpty()) {
                throw new IOException("ssh-agent holds no usable key (ed25519, ecdsa or RSA of at least "
                        + SshPublicKey.MIN_RSA_BITS + " bits)");
            }
            return new AgentIdentity(agent, keys.get(0));
        }
        for (SshPublicKey key : keys) {
            if (key.fingerprint().equals(wanted)) {
                return new AgentIdentity(agent, key);
            }
        }
        throw new IOException("ssh-agent does not hold key " + wanted);
    }

    @Override
    public SshPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) throws IOException {
        return agent.sign(publicKey, data);
    }

    /** The key and the agent's socket, safe to log. */
    @Override
    public String toString() {
        return "AgentIdentity[" + publicKey + " in " + agent.socket() + "]";
    }
}
