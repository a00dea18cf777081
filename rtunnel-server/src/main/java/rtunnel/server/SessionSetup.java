package rtunnel.server;

import java.security.SecureRandom;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.SshPrivateKey;
import rtunnel.policy.PortRange;
import rtunnel.relay.SocketThreads;

/** What every client session of one server shares: identity, admission rule, port policy and threads. */
record SessionSetup(SshPrivateKey hostKey, ClientAdmission admission, PortRange ports, PublicPortBinder binder,
        SocketThreads threads, SecureRandom random) {
}
