package rtunnel.protocol;

import java.util.Objects;

/**
 * A host name or address and a TCP port, as users type them: {@code 4000}, {@code example.com:4000},
 * {@code [::1]:4000}. An empty host means "all interfaces" when binding.
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
    }

    /**
     * Parses {@code PORT}, {@code HOST}, {@code HOST:PORT} or {@code [IPV6]:PORT}. A missing host becomes
     * {@code defaultHost}; a missing port becomes {@code defaultPort} (pass -1 to make the port required).
     */
    public static HostPort parse(String text, String defaultHost, int defaultPort) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (isDigits(trimmed)) {
            return new HostPort(defaultHost, parsePort(trimmed, text));
        }
        String host;
        String port;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']' after IPv6 address");
            }
            host = trimmed.substring(1, close);
            String rest = trimmed.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = trimmed.lastIndexOf(':');
            if (colon >= 0 && trimmed.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': write IPv6 addresses as [ADDRESS]:PORT");
            }
            host = colon < 0 ? trimmed : trimmed.substring(0, colon);
            port = colon < 0 ? null : trimmed.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = defaultHost;
        }
        if (port == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("'" + text + "': missing port");
            }
            return new HostPort(host, defaultPort);
        }
        return new HostPort(host, parsePort(port, text));
    }

    private static int parsePort(String digits, String text) {
        if (digits.isEmpty() || digits.length() > 5 || !isDigits(digits)) {
            throw new IllegalArgumentException("'" + text + "': port must be a number from 0 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is above 65535");
        }
        return port;
    }

    /** ASCII digits only: {@link Character#isDigit} would also take other scripts' digits. */
    private static boolean isDigits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** True when the host means every interface (empty, {@code 0.0.0.0}, {@code ::} or {@code *}). */
    public boolean isWildcard() {
        return meansAllInterfaces(host);
    }

    /** True when {@code host} means every interface: empty, {@code 0.0.0.0}, {@code ::} or {@code *}. */
    public static boolean meansAllInterfaces(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }

    /** {@code host:port}, with IPv6 literals bracketed and an empty host shown as {@code 0.0.0.0}. */
    @Override
    public String toString() {
        String shown = host.isEmpty() ? "0.0.0.0" : host;
        return (shown.indexOf(':') >= 0 ? "[" + shown + "]" : shown) + ":" + port;
    }
}
