package rtunnel.client;

import java.io.IOException;
import rtunnel.auth.KnownHosts;
import rtunnel.auth.KnownHostsFile;
import rtunnel.auth.ServerTrust;
import rtunnel.auth.SshPublicKey;
import rtunnel.protocol.HostPort;

/**
 * Trust on first use, as ssh does: a server's host key is recorded in known_hosts the first time the client
 * meets it (and the client says so once), checked silently afterwards, and refused when it changed.
 */
final class HostKeyTrust implements ServerTrust {

    private final KnownHostsFile file;
    private final HostPort server;
    private final ClientEvents events;

    private HostKeyTrust(KnownHostsFile file, HostPort server, ClientEvents events) {
        this.file = file;
        this.server = server;
        this.events = events;
    }

    /**
     * How the client trusts {@code server}: by its pinned fingerprints when there are any (known_hosts is then
     * neither read nor written), else by its known_hosts entry, else (no file: tests) any key.
     */
    static ServerTrust of(ClientSettings settings, HostPort server, ClientEvents events) {
        if (!settings.serverFingerprints().isEmpty() || settings.knownHosts() == null) {
            return ServerTrust.pinned(settings.serverFingerprints());
        }
        return new HostKeyTrust(new KnownHostsFile(settings.knownHosts()), server, events);
    }

    @Override
    public void verify(SshPublicKey hostKey) throws IOException {
        if (file.verify(KnownHosts.name(server.host(), server.port()), hostKey)) {
            events.hostKeyRecorded(server, hostKey.fingerprint(), file.file());
        }
    }
}
