package rtunnel.server;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import rtunnel.policy.ListenPolicy;
import rtunnel.policy.NamePolicy;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.NameRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.VisitorRules;
import rtunnel.relay.Multiplexer;

/**
 * One session's LISTEN requests, answered in order by one worker. Binding may resolve a host name or end an
 * earlier session (a takeover), so it does not run on the connection's reader; one worker per session means
 * a flood of requests can neither race past the tunnel limit nor start a thread each.
 */
final class ListenRequests {

    private final SessionTunnels tunnels;
    private final SessionSetup setup;
    private final String client;
    private final ReentrantLock lock = new ReentrantLock();
    /** LISTEN and LISTEN_NAME requests, in the order they came. */
    private final ArrayDeque<Record> pending = new ArrayDeque<>();
    /** Each tunnel's VISITOR_RULES, stored as they come, before the tunnel's own request is queued. */
    private final Map<Integer, VisitorRules> rules = new ConcurrentHashMap<>();
    private boolean workerRunning;
    private ListenPolicy policy;
    private NamePolicy namePolicy = NamePolicy.ANY;
    private Multiplexer multiplexer;

    ListenRequests(SessionTunnels tunnels, SessionSetup setup, String client) {
        this.tunnels = tunnels;
        this.setup = setup;
        this.client = client;
    }

    /**
     * Once authenticated: the client's port and name policies, and the multiplexer its visitors' streams
     * open on.
     */
    void serveWith(ListenPolicy listenPolicy, NamePolicy names, Multiplexer mux) {
        lock.lock();
        try {
            this.policy = listenPolicy;
            this.namePolicy = names;
            this.multiplexer = mux;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a request for the worker, starting it if idle. A request beyond what the client may hold
     * waiting is refused at once ({@code LIMIT}), as the worker would refuse it: a client asking for more
     * tunnels than allowed gets its answer, and one that floods LISTENs without reading the refusals ends
     * its session by the write queue's budget.
     *
     * @throws ProtocolException when no worker can be started to answer
     */
    void queue(ListenRequest request) throws ProtocolException {
        queueAny(request);
    }

    /** Queues a LISTEN_NAME request, as {@link #queue(ListenRequest)}. */
    void queue(NameRequest request) throws ProtocolException {
        queueAny(request);
    }

    /**
     * Keeps the rules for a tunnel whose request follows; on the reader thread, so always before it.
     *
     * @throws ProtocolException when rules come for more tunnels than the client may hold
     */
    void rules(VisitorRules tunnelRules) throws ProtocolException {
        int limit = setup.settings().limits().maxTunnelsPerClient();
        if (rules.size() >= limit && !rules.containsKey(tunnelRules.tunnelId())) {
            throw new ProtocolException("VISITOR_RULES for more than " + limit + " tunnels");
        }
        rules.put(tunnelRules.tunnelId(), tunnelRules);
    }

    private void queueAny(Record request) throws ProtocolException {
        int limit = setup.settings().limits().maxTunnelsPerClient();
        Multiplexer refuseOn = null;
        lock.lock();
        try {
            if (pending.size() >= limit) {
                refuseOn = multiplexer;
            } else {
                pending.add(request);
                if (workerRunning) {
                    return;
                }
                workerRunning = true;
            }
        } finally {
            lock.unlock();
        }
        if (refuseOn != null) {
            if (request instanceof ListenRequest listen) {
                tunnels.refuse(listen, SessionTunnels.overLimit(listen.address(), limit), refuseOn);
            } else {
                tunnels.refuseName((NameRequest) request, limit, refuseOn);
            }
            return;
        }
        try {
            setup.threads().start("rtunnel-listen-requests-" + client, this::answerAll);
        } catch (RejectedExecutionException e) {
            lock.lock();
            try {
                workerRunning = false;
                pending.clear();
            } finally {
                lock.unlock();
            }
            throw new ProtocolException("server cannot answer LISTEN now: " + e.getMessage());
        }
    }

    private VisitorRules rulesFor(int tunnelId) {
        return rules.getOrDefault(tunnelId, VisitorRules.none(tunnelId));
    }

    private void answerAll() {
        while (true) {
            Record request;
            ListenPolicy answeringWith;
            NamePolicy namesWith;
            Multiplexer mux;
            lock.lock();
            try {
                request = pending.poll();
                if (request == null) {
                    workerRunning = false;
                    return;
                }
                answeringWith = policy;
                namesWith = namePolicy;
                mux = multiplexer;
            } finally {
                lock.unlock();
            }
            if (request instanceof NameRequest named) {
                tunnels.listenName(named, namesWith, rulesFor(named.tunnelId()), mux);
            } else {
                ListenRequest listen = (ListenRequest) request;
                tunnels.listen(listen, answeringWith, rulesFor(listen.tunnelId()), mux);
            }
        }
    }
}
