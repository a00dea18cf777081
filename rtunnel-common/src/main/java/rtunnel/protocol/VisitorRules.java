package rtunnel.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * VISITOR_RULES: who may visit tunnel {@code tunnelId} and how, sent before its LISTEN or LISTEN_NAME when
 * the tunnel has any rule. The password travels only here, inside the protected control connection, and
 * {@link #toString} never shows it.
 *
 * @param allowFrom the CIDR blocks visitors must come from ({@code --allow-from}); empty: anyone
 * @param user the {@code --basic-auth} user, empty for none (names on the HTTP port only)
 * @param password the {@code --basic-auth} password, empty with no user
 * @param forwardedHeaders whether the server adds {@code X-Forwarded-For} and {@code Forwarded} (HTTP names)
 */
public record VisitorRules(int tunnelId, List<String> allowFrom, String user, String password,
        boolean forwardedHeaders) {

    /** Blocks one frame may carry: {@code AllowList.MAX_BLOCKS}, checked again where they are parsed. */
    public static final int MAX_BLOCKS = 64;

    private static final int FORWARDED_HEADERS = 1;

    public VisitorRules {
        allowFrom = List.copyOf(allowFrom);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** No rule: anyone may visit, no password, the request unchanged. */
    public static VisitorRules none(int tunnelId) {
        return new VisitorRules(tunnelId, List.of(), "", "", false);
    }

    /** Whether any rule differs from {@link #none}: only then does the client send the frame. */
    public boolean isSet() {
        return !allowFrom.isEmpty() || !user.isEmpty() || forwardedHeaders;
    }

    /** These rules for tunnel {@code id}. */
    public VisitorRules forTunnel(int id) {
        return new VisitorRules(id, allowFrom, user, password, forwardedHeaders);
    }

    public Frame toFrame() {
        PayloadBuilder payload = new PayloadBuilder().u32(tunnelId).u8(allowFrom.size());
        allowFrom.forEach(payload::string16);
        return payload.string16(user).string16(password).u8(forwardedHeaders ? FORWARDED_HEADERS : 0)
                .toFrame(FrameType.VISITOR_RULES, Protocol.SESSION_STREAM);
    }

    public static VisitorRules from(Frame frame) throws ProtocolException {
        PayloadReader payload = new PayloadReader(frame);
        int tunnelId = payload.u32();
        int blocks = payload.u8();
        if (blocks > MAX_BLOCKS) {
            throw new ProtocolException("VISITOR_RULES carries " + blocks + " blocks, more than " + MAX_BLOCKS);
        }
        List<String> allowFrom = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            allowFrom.add(payload.string16());
        }
        String user = payload.string16();
        String password = payload.string16();
        int flags = payload.u8();
        payload.expectEnd();
        if ((flags & ~FORWARDED_HEADERS) != 0) {
            throw new ProtocolException("VISITOR_RULES has unknown flags " + flags);
        }
        return new VisitorRules(tunnelId, allowFrom, user, password, flags == FORWARDED_HEADERS);
    }

    /** The rules without the password. */
    @Override
    public String toString() {
        return "VisitorRules[tunnelId=" + tunnelId + ", allowFrom=" + allowFrom + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "(hidden)") + ", forwardedHeaders=" + forwardedHeaders + "]";
    }
}
