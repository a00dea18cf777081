package rtunnel.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.cli.Failure;
import rtunnel.metrics.Metrics;
import rtunnel.metrics.MetricsEndpoint;
import rtunnel.protocol.HostPort;
import rtunnel.relay.SocketThreads;

/**
 * Holds every tunnel on every server at once ({@code --all-servers}), so that a balancer or DNS in front of
 * the servers finds each tunnel on each: one {@link TunnelClient} per server, in a thread of its own, each
 * reconnecting on its own with the usual backoff and takeover rules, with streams, sockets and threads of its
 * own (losing one server touches nothing on the others), and counting under its own {@code server} label. A
 * server the client gives up on (a refusal, or the retries used up) is reported and the others go on; the
 * client ends only when it has given up on every server, with the failure of the last.
 */
final class AllServersClient implements TunnelService {

    private static final Logger log = LoggerFactory.getLogger(AllServersClient.class);

    private final Map<HostPort, TunnelClient> clients = new LinkedHashMap<>();
    private final Map<HostPort, ClientEvents> events = new LinkedHashMap<>();
    private final Metrics metrics = new Metrics();
    private final ReentrantLock lock = new ReentrantLock();
    /** Servers whose client still runs. */
    private int running;
    private boolean closed;
    private Exception lastFailure;
    private MetricsEndpoint metricsEndpoint;

    /** One client per server of {@code settings}, each reporting to the events {@code eventsFor} gives it. */
    AllServersClient(ClientSettings settings, Function<HostPort, ClientEvents> eventsFor) {
        for (HostPort server : settings.servers()) {
            ClientEvents serverEvents = eventsFor.apply(server);
            events.put(server, serverEvents);
            clients.put(server, new TunnelClient(settings.withServers(List.of(server)), serverEvents,
                    new SocketThreads(), metrics.labelled("server", server.toString())));
        }
    }

    @Override
    public void run() throws IOException {
        lock.lock();
        try {
            running = clients.size();
        } finally {
            lock.unlock();
        }
        try {
            onEveryServer("rtunnel-server-", this::runOn);
        } finally {
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
        }
        throwLastFailure();
    }

    /**
     * Runs {@code work} for every server at once, each in a thread named {@code name} and the server, and
     * returns when all are done (or, interrupted, after closing every client).
     */
    private void onEveryServer(String name, BiConsumer<HostPort, TunnelClient> work) {
        List<Thread> threads = new ArrayList<>();
        clients.forEach((server, client) -> {
            Thread thread = new Thread(() -> work.accept(server, client), name + server);
            threads.add(thread);
            thread.start();
        });
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    /** Runs the client of {@code server} until it is closed or gives up; reports giving up while others run. */
    private void runOn(HostPort server, TunnelClient client) {
        Exception failure = null;
        try {
            client.run();
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        lock.lock();
        try {
            running--;
            if (failure == null || closed) {
                return;
            }
            lastFailure = failure;
            if (running > 0) {
                Failure said = Failure.of(failure);
                log.warn("giving up on server {}: {}", server, said.message());
                events.get(server).gaveUpOnServer(server, said.message(), said.exitCode());
            }
        } finally {
            lock.unlock();
        }
    }

    /** After every server's client ended: nothing when the client was closed, else the last failure. */
    private void throwLastFailure() throws IOException {
        lock.lock();
        try {
            if (closed || lastFailure == null) {
                return;
            }
            if (lastFailure instanceof IOException failure) {
                throw failure;
            }
            throw (RuntimeException) lastFailure;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InetSocketAddress serveMetrics(InetSocketAddress address) throws IOException {
        metricsEndpoint = MetricsEndpoint.start(address, metrics);
        return metricsEndpoint.address();
    }

    /** The metrics of every server's client, each series labelled with its {@code server}. */
    Metrics metrics() {
        return metrics;
    }

    @Override
    public void retryNow() {
        clients.values().forEach(TunnelClient::retryNow);
    }

    /** Drains on every server at once, so that the whole stop takes one drain period, not one per server. */
    @Override
    public void shutdown(Duration drain) {
        markClosed();
        onEveryServer("rtunnel-shutdown-", (server, client) -> client.shutdown(drain));
    }

    @Override
    public void close() {
        markClosed();
        clients.values().forEach(TunnelClient::close);
    }

    private void markClosed() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
