package rtunnel.cli;

import java.util.Locale;
import java.util.Properties;

/**
 * The {@code -l/--log-level} choices, and the slf4j-simple settings they stand for. slf4j-simple reads its
 * settings once, when the first logger is created, so {@link #apply()} must run before anything calls
 * {@code LoggerFactory}.
 */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    /** The level named {@code text}, in any case. */
    public static LogLevel parse(String text) {
        for (LogLevel level : values()) {
            if (level.name().equalsIgnoreCase(text.trim())) {
                return level;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of debug, info, warn, error");
    }

    /** Sets the level and the log line format as system properties (the format only where not already set). */
    public void apply() {
        applyTo(System.getProperties());
    }

    /** Sets the level and the log line format in {@code properties}, keeping any format already there. */
    public void applyTo(Properties properties) {
        properties.setProperty(PREFIX + "defaultLogLevel", toString());
        // Apache MINA sshd (the server's ssh gateway) logs its own view of every session; our lines already
        // say what happened, one per event, so its lines show only with -l debug (and its errors always).
        properties.setProperty(PREFIX + "log.org.apache.sshd", this == DEBUG ? "debug" : "error");
        properties.putIfAbsent(PREFIX + "showDateTime", "true");
        properties.putIfAbsent(PREFIX + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        properties.putIfAbsent(PREFIX + "showThreadName", "true");
        properties.putIfAbsent(PREFIX + "logFile", "System.err");
        properties.putIfAbsent(PREFIX + "levelInBrackets", "true");
    }

    /** The name users type and slf4j-simple reads: {@code debug}, {@code info}, {@code warn}, {@code error}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
