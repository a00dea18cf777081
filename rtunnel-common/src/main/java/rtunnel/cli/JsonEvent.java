package rtunnel.cli;

/**
 * One event as a one-line JSON object for scripts and supervisors ({@code --json}): its name first, then
 * its fields in the order they were added: {@code {"event":"tunnel_up","remote":"host:4000"}}.
 */
public final class JsonEvent {

    private final StringBuilder json = new StringBuilder("{");

    private JsonEvent(String event) {
        field("event", JsonString.quote(event));
    }

    /** An event called {@code event} (lower case with underscores, like {@code tunnel_up}). */
    public static JsonEvent named(String event) {
        return new JsonEvent(event);
    }

    /** Adds a string field; a null value is written as JSON {@code null}. */
    public JsonEvent with(String name, String value) {
        return field(name, JsonString.quote(value));
    }

    /** Adds a number field. */
    public JsonEvent with(String name, long value) {
        return field(name, Long.toString(value));
    }

    private JsonEvent field(String name, String jsonValue) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append(JsonString.quote(name)).append(':').append(jsonValue);
        return this;
    }

    /** The object on one line, without the line end. */
    @Override
    public String toString() {
        return json + "}";
    }
}
