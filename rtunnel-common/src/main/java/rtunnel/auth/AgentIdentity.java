package rtunnel.auth;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** A key held by ssh-agent: the agent signs, and the private key never leaves it. Immutable. */
public final class AgentIdentity implements ClientIdentity {

    private final SshAgent agent;
    private final SshPublicKey publicKey;
    private final String comment;

    public AgentIdentity(SshAgent agent, SshPublicKey publicKey) {
        this(agent, publicKey, "");
    }

    /** {@code comment}: what {@code ssh-add -l} shows after the fingerprint, already safe to print. */
    public AgentIdentity(SshAgent agent, SshPublicKey publicKey, String comment) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.comment = Objects.requireNonNull(comment, "comment");
    }

    /**
     * The agent's key whose fingerprint ({@code SHA256:...}, as {@code ssh-keygen -l} prints it) is
     * {@code wanted}, or when {@code wanted} is null every key rtunnel can use, in the agent's order: the
     * client offers each in turn, as ssh does.
     *
     * @throws IllegalArgumentException when {@code wanted} is not a SHA256 fingerprint
     * @throws IOException when the agent cannot be reached, holds no usable key, or no such key
     */
    public static List<AgentIdentity> choose(SshAgent agent, String wanted) throws IOException {
        if (wanted != null && !wanted.startsWith("SHA256:")) {
            throw new IllegalArgumentException("not a SHA256 key fingerprint: " + wanted);
        }
        List<AgentIdentity> keys = agent.listed().stream()
                .map(listed -> new AgentIdentity(agent, listed.key(), listed.comment())).toList();
        if (wanted == null) {
            if (keys.isEmpty()) {
                throw new IOException("ssh-agent holds no usable key (ed25519, ecdsa or RSA of at least "
                        + SshPublicKey.MIN_RSA_BITS + " bits)");
            }
            return keys;
        }
        for (AgentIdentity key : keys) {
            if (key.publicKey.fingerprint().equals(wanted)) {
                return List.of(key);
            }
        }
        throw new IOException("ssh-agent does not hold key " + wanted);
    }

    @Override
    public SshPublicKey publicKey() {
        return publicKey;
    }

    /** Its comment in the agent, as {@code ssh-add -l} shows it, and that it is the agent's. */
    @Override
    public String origin() {
        return comment.isEmpty() ? "ssh-agent" : comment + ", ssh-agent";
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
