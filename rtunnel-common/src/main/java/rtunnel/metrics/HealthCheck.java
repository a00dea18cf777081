package rtunnel.metrics;

/**
 * Answers a load balancer's health checks ({@code GET /health...}) beside the metrics: one yes/no per path,
 * as HAProxy's {@code option httpchk} reads an HTTP status.
 */
public interface HealthCheck {

    /** The prefix of every path a health check may ask for. */
    String PATH = "/health";

    /** No health checks: every {@code /health} path is unknown (404). */
    HealthCheck NONE = path -> Answer.UNKNOWN;

    /** A health check's answer: its HTTP status and a short line of text for a human with curl. */
    record Answer(int status, String text) {

        /** A path this check does not know. */
        public static final Answer UNKNOWN = new Answer(404, "not found");

        public static Answer healthy(String text) {
            return new Answer(200, text);
        }

        public static Answer unhealthy(String text) {
            return new Answer(503, text);
        }
    }

    /** The answer for {@code path}, which is {@link #PATH} or starts with {@code /health/}. */
    Answer check(String path);
}
