package rtunnel.server;

import rtunnel.policy.AllowList;
import rtunnel.protocol.VisitorRules;
import rtunnel.web.BasicAuth;

/**
 * One tunnel's visitor rules as the server applies them, read from the client's VISITOR_RULES: who may
 * visit, the password a name asks for, and whether it adds {@code X-Forwarded-For}.
 *
 * @param allowFrom the client's {@code --allow-from} for this tunnel
 * @param basicAuth the user and password visitors of a name must give, or null
 * @param forwardedHeaders whether visitors' requests to a name get {@code X-Forwarded-For} and {@code Forwarded}
 */
record TunnelRules(AllowList allowFrom, BasicAuth basicAuth, boolean forwardedHeaders) {

    /**
     * The rules {@code rules} asks for, for a tunnel by name ({@code named}) or on a port.
     *
     * @throws IllegalArgumentException with the refusal's reason when the client asked for something invalid
     */
    static TunnelRules of(VisitorRules rules, boolean named) {
        if (!named && (!rules.user().isEmpty() || rules.forwardedHeaders())) {
            throw new IllegalArgumentException("--basic-auth and --forwarded-headers apply to --hostname tunnels only");
        }
        BasicAuth auth = rules.user().isEmpty() && rules.password().isEmpty() ? null
                : new BasicAuth(rules.user(), rules.password());
        return new TunnelRules(AllowList.parse(rules.allowFrom()), auth, rules.forwardedHeaders());
    }
}
