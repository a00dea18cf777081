package rtunnel.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;

/**
 * A server's ssh gateway served on 127.0.0.1:0, and a known_hosts file naming its host key: where the tests'
 * {@link OpenSshClient} signs in.
 */
record SshDoor(int port, Path knownHosts) {

    /** Serves ssh clients on {@code server} (started with {@code settings}); the known_hosts file goes in {@code directory}. */
    static SshDoor open(TunnelServer server, ServerSettings settings, Path directory)
            throws IOException, InterruptedException {
        int port = server.serveSsh(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
        return new SshDoor(port, OpenSshClient.knownHosts(directory, settings.hostKey(), port));
    }

    /** Starts {@code ssh ARGS...} signing in with {@code identity}, taking {@code ssh -O} commands on {@code controlSocket}. */
    OpenSshClient sshMaster(Path identity, Path controlSocket, String... args) throws IOException {
        return OpenSshClient.startMaster(port, knownHosts, identity, controlSocket, args);
    }

    /** Starts {@code ssh ARGS...} signing in with {@code identity}. */
    OpenSshClient ssh(Path identity, String... args) throws IOException {
        return OpenSshClient.start(port, knownHosts, identity, args);
    }
}
