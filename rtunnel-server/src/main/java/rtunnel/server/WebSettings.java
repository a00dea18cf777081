package rtunnel.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import rtunnel.web.DomainNames;

/**
 * The server's shared web ports, where visitors reach tunnels by host name.
 *
 * @param http where to read HTTP requests and route them by Host, or null for none
 * @param https where to read TLS ClientHellos and route them by SNI, or null for none
 * @param domains the domains names are given under
 * @param headTimeout how long a visitor has to send its whole request head or ClientHello
 */
public record WebSettings(InetSocketAddress http, InetSocketAddress https, DomainNames domains,
        Duration headTimeout) {

    /**
     * A browser sends its head at once; ten seconds leave room for a slow mobile link while a slowloris
     * visitor trickling a byte a second holds its thread no longer than that.
     */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);

    /** No web ports: tunnels by name are refused. */
    public static final WebSettings NONE = new WebSettings(null, null, new DomainNames(java.util.List.of()),
            DEFAULT_HEAD_TIMEOUT);
}
