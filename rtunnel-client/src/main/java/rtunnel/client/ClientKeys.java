package rtunnel.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import rtunnel.auth.AgentIdentity;
import rtunnel.auth.ClientIdentity;
import rtunnel.auth.SshAgent;
import rtunnel.auth.SshPrivateKey;

/**
 * The keys the client offers, in ssh's order: the ssh-agent's (every usable one, or the one
 * {@code --agent-key} names), then the {@code -k} file unless the agent already holds that key. The server
 * takes the first it admits, on one connection.
 */
final class ClientKeys {

    private final Path privateKey;
    private final String agentKey;
    private final String agentSocket;
    private final PrintWriter err;

    /**
     * @param privateKey the {@code -k} file, or null
     * @param agentKey the {@code --agent-key} fingerprint, or null for every agent key
     * @param agentSocket {@code SSH_AUTH_SOCK}, or null or empty without an agent
     * @param err where an agent that cannot be used is reported, when it was the client's only hope of a key
     */
    ClientKeys(Path privateKey, String agentKey, String agentSocket, PrintWriter err) {
        this.privateKey = privateKey;
        this.agentKey = agentKey;
        this.agentSocket = agentSocket == null ? "" : agentSocket;
        this.err = err;
    }

    /**
     * Loads the {@code -k} file (first, so that a bad file fails before the agent is asked) and lists the
     * agent's keys.
     *
     * @throws rtunnel.auth.KeyFileException when the {@code -k} file cannot be used
     * @throws IOException when {@code --agent-key} cannot be used
     */
    List<ClientIdentity> load() throws IOException {
        SshPrivateKey file = privateKey == null ? null : SshPrivateKey.load(privateKey, new KeyPassphrase());
        List<ClientIdentity> keys = new ArrayList<>(agentKeys(file == null));
        if (file != null && keys.stream().noneMatch(key -> sameKey(key, file))) {
            keys.add(file);
        }
        return keys;
    }

    /**
     * The agent's keys. When no key was asked for by name, an agent that cannot be used is not an error: the
     * client goes on with its -k file, or without a key as it would without SSH_AUTH_SOCK (and says so).
     */
    private List<AgentIdentity> agentKeys(boolean onlyHope) throws IOException {
        if (agentSocket.isEmpty() && agentKey == null) {
            return List.of();
        }
        try {
            if (agentSocket.isEmpty()) {
                throw new IOException("--agent-key needs a running ssh-agent, but SSH_AUTH_SOCK is not set");
            }
            return AgentIdentity.choose(SshAgent.at(Path.of(agentSocket)), agentKey);
        } catch (IOException e) {
            if (agentKey != null) {
                throw e;
            }
            if (onlyHope) {
                err.println(ClientMain.NAME + ": not using ssh-agent: " + e.getMessage());
                err.flush();
            }
            return List.of();
        }
    }

    private static boolean sameKey(ClientIdentity a, ClientIdentity b) {
        return Arrays.equals(a.publicKey().blob(), b.publicKey().blob());
    }
}
