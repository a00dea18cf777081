package rtunnel.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import rtunnel.policy.AllowList;
import rtunnel.web.DomainNames;

/**
 * How the server meets visitors: its shared web ports, where they reach tunnels by host name, and the
 * operator's allow-list, which every public port and web port applies at accept.
 *
 * @param http where to read HTTP requests and route them by Host, or null for none
 * @param https where to read TLS ClientHellos and route them by SNI, or null for none
 * @param domains the domains names are given under
 * @param headTimeout how long a visitor has to send its whole request head or ClientHello
 * @param allowFrom the operator's {@code --allow-from}: only these visitors, on every port
 */
public record VisitorSettings(InetSocketAddress http, InetSocketAddress https, DomainNames domains,
        Duration headTimeout, AllowList allowFrom) {

    /**
     * A browser sends its head at once; ten seconds leave room for a slow mobile link while a slowloris
     * visitor trickling a byte a second holds its thread no longer than that.
     */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);

    /** No web ports: tunnels by name are refused. */
    public static final VisitorSettings NONE = new VisitorSettings(null, null, new DomainNames(java.util.List.of()),
            DEFAULT_HEAD_TIMEOUT, AllowList.ANYONE);

    /** These settings admitting only {@code allowed} visitors. */
    public VisitorSettings withAllowFrom(AllowList allowed) {
        return new VisitorSettings(http, https, domains, headTimeout, allowed);
    }
}
