package rtunnel.server;

import java.security.SecureRandom;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.SshPrivateKey;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Timer;

/** What every client session of one server shares: settings, identity, admission rule, ports and threads. */
record SessionSetup(ServerSettings settings, SshPrivateKey hostKey, ClientAdmission admission,
        PublicPortBinder binder, PortRegistry registry, SocketThreads threads, Timer timer, SecureRandom random) {
}
