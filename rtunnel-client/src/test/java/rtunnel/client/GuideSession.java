package rtunnel.client;

/**
 * One run of the JSON session docs/scripting.md shows, and the values the guide shows in place of the run's:
 * its ports, host key and known_hosts file.
 */
final class GuideSession {

    /** The control port, host key, public port, known_hosts and client port the guide shows. */
    static final String PORT = "37041";
    static final String KEY = "SHA256:gjEZHGBy1vC0iAefQUv4Bcwyvxr5JHnW5w+ByAzPfgg";
    static final String PUBLIC_PORT = "36423";
    static final String KNOWN_HOSTS = "/home/me/.rtunnel/known_hosts";
    static final String CLIENT_PORT = "52814";
    /** The backoff delay is random; the guide shows one. */
    static final String DELAY_MILLIS = "541";

    final String controlPort;
    final String hostKey;
    String knownHosts;
    String publicPort;
    String clientPort;

    GuideSession(String controlPort, String hostKey) {
        this.controlPort = controlPort;
        this.hostKey = hostKey;
    }

    /** {@code line} as the guide shows it. Ports are replaced only where a port stands: after a colon. */
    String shown(String line) {
        String shown = line.replace(hostKey, KEY).replace(knownHosts, KNOWN_HOSTS)
                .replace(":" + controlPort + "\"", ":" + PORT + "\"")
                .replace(":" + controlPort + " ", ":" + PORT + " ");
        if (publicPort != null) {
            shown = shown.replace(":" + publicPort + "\"", ":" + PUBLIC_PORT + "\"")
                    .replace("\"port\":" + publicPort + ",", "\"port\":" + PUBLIC_PORT + ",");
        }
        if (clientPort != null) {
            shown = shown.replace(":" + clientPort + "\"", ":" + CLIENT_PORT + "\"");
        }
        return shown;
    }
}
