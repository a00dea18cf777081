package rtunnel.server;

import java.io.IOException;
import rtunnel.metrics.Metrics;
import rtunnel.relay.SocketThreads;

/** The server's HTTP and HTTPS ports (either may be absent) and the registry of the names they route to. */
final class WebPorts implements AutoCloseable {

    private WebPort http;
    private WebPort https;
    /** Set once by {@link #bind}; read by health checks on the metrics endpoint's threads. */
    private volatile NameRegistry names;
    private Metrics metrics;

    /** Binds the ports {@code web} asks for and returns the registry their visitors are routed by. */
    NameRegistry bind(VisitorSettings web, Metrics metrics) throws IOException {
        try {
            if (web.http() != null) {
                http = WebPort.bind(web.http(), false, web.headTimeout(), web.allowFrom());
            }
            if (web.https() != null) {
                https = WebPort.bind(web.https(), true, web.headTimeout(), web.allowFrom());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        this.metrics = metrics;
        names = new NameRegistry(web.domains(), httpPort(), httpsPort());
        metrics.gauge("rtunnel_server_names", "Host names held for connected clients.", names::held);
        return names;
    }

    /** Starts accepting visitors, once the sessions that own names can be served, and reports the ports. */
    void start(SocketThreads threads, ServerEvents events) {
        if (http != null) {
            http.start(threads, names, metrics);
            events.webListening(http.address(), false);
        }
        if (https != null) {
            https.start(threads, names, metrics);
            events.webListening(https.address(), true);
        }
    }

    /** The registry of names, or null before {@link #bind}. */
    NameRegistry names() {
        return names;
    }

    int httpPort() {
        return http == null ? 0 : http.port();
    }

    int httpsPort() {
        return https == null ? 0 : https.port();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (https != null) {
            https.close();
        }
    }
}
