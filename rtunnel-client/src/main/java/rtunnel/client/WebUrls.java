package rtunnel.client;

import java.util.ArrayList;
import java.util.List;
import rtunnel.protocol.NameAccepted;

/** The URLs visitors use for a tunnel by name: http and https, the port left out when it is the default. */
final class WebUrls {

    private static final int DEFAULT_HTTP_PORT = 80;
    private static final int DEFAULT_HTTPS_PORT = 443;

    private WebUrls() {
    }

    /** The URLs of {@code accepted}'s name on the server's ports; empty when the server has neither. */
    static List<String> of(NameAccepted accepted) {
        List<String> urls = new ArrayList<>();
        if (accepted.httpPort() != 0) {
            urls.add("http://" + accepted.name() + (accepted.httpPort() == DEFAULT_HTTP_PORT ? ""
                    : ":" + accepted.httpPort()));
        }
        if (accepted.httpsPort() != 0) {
            urls.add("https://" + accepted.name() + (accepted.httpsPort() == DEFAULT_HTTPS_PORT ? ""
                    : ":" + accepted.httpsPort()));
        }
        return urls;
    }
}
