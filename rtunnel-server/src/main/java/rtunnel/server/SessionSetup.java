package rtunnel.server;

import java.security.SecureRandom;
import rtunnel.auth.ClientAdmission;
import rtunnel.auth.SshPrivateKey;
import rtunnel.metrics.Metrics;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Timer;
import rtunnel.relay.WindowBudget;

/**
 * What every client session of one server shares: settings, identity, admission rule, ports, host names, threads,
 * metrics, where events are reported, and the receive-window budget all sessions draw on.
 */
record SessionSetup(ServerSettings settings, SshPrivateKey hostKey, ClientAdmission admission,
        PublicPortBinder binder, PortRegistry registry, NameRegistry names, SocketThreads threads, Timer timer, SecureRandom random,
        Metrics metrics, ServerEvents events, WindowBudget windows) {

    /** Counts a refusal by its reason, for the metrics. */
    void countRefusal(Refusal refusal) {
        metrics.counter("rtunnel_server_refusals_total", "Requests and clients refused, by reason.",
                "reason", refusal.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    /** A client refused at its handshake: counted, and reported as an event. */
    void clientRefused(String client, RefusedException refused) {
        countRefusal(refused.refusal());
        events.clientRefused(client, refused.refusal(), refused.reason());
    }
}
