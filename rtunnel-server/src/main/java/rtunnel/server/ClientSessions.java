package rtunnel.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Worker;

/**
 * The clients connected to the control port: accepts them through the {@link ClientGate}, runs each
 * session on a thread of its own, and knows every session still open so that the server can recheck,
 * drain or close them all.
 */
final class ClientSessions {

    private static final Logger log = LoggerFactory.getLogger(ClientSessions.class);

    /** How long closing waits for each session's thread, which only needs to notice its closed socket. */
    private static final long THREAD_EXIT_MILLIS = 5_000;

    private final SocketThreads threads;
    private final ClientGate gate;
    private final Set<ControlSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<ControlSession, Worker> workers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ClientSessions(SocketThreads threads, ClientGate gate) {
        this.threads = threads;
        this.gate = gate;
    }

    /**
     * Accepts clients on {@code control} until it closes, each served by a session of {@code setup}; an
     * accept failure that is not the server's own closing goes to {@code failed}.
     */
    void acceptFrom(ServerSocket control, SessionSetup setup, Consumer<IOException> failed) {
        try {
            while (true) {
                admit(control.accept(), setup);
            }
        } catch (IOException e) {
            if (!closed) {
                failed.accept(e);
            }
        }
    }

    private void admit(Socket client, SessionSetup setup) {
        Startup startup = gate.admit(client, sessions.size());
        if (startup == null) {
            return;
        }
        Runnable authenticated = startup::ended;
        ControlSession session = new ControlSession(client, setup, startup, authenticated);
        // The gate drops handshakes only from the accepting thread, in admit(): never before this line.
        startup.whenDropped(session::end);
        sessions.add(session);
        if (closed) {
            session.close();
        }
        Worker worker;
        try {
            worker = threads.start("rtunnel-control-" + session.client(), () -> serve(session, authenticated));
        } catch (RejectedExecutionException e) {
            // Out of threads: this client is turned away (it retries); the server keeps accepting.
            log.warn("turning away {}: {}", session.client(), e.getMessage());
            session.close();
            authenticated.run();
            sessions.remove(session);
            return;
        }
        workers.put(session, worker);
        if (!sessions.contains(session)) {
            // It ended before it was recorded: forget it again.
            workers.remove(session);
        }
    }

    private void serve(ControlSession session, Runnable authenticated) {
        try {
            session.run();
        } finally {
            authenticated.run();
            sessions.remove(session);
            workers.remove(session);
        }
    }

    /** How many sessions are open (handshaking or authenticated). */
    int size() {
        return sessions.size();
    }

    /** The sessions open now. */
    List<ControlSession> open() {
        return List.copyOf(sessions);
    }

    /** From now on every new session is closed as it arrives (the server is stopping). */
    void refuseNew() {
        closed = true;
    }

    /** Closes every session and waits for their threads. */
    void closeAll() throws InterruptedException {
        refuseNew();
        open().forEach(ControlSession::close);
        for (Worker worker : List.copyOf(workers.values())) {
            worker.join(THREAD_EXIT_MILLIS);
        }
    }
}
