package rtunnel.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rtunnel.cli.DocFiles;

/**
 * Where a log line a document shows comes from: the class it names must have a log call at that level
 * whose format ({@code {}} standing for any value) gives the line's message. A log line depends on the
 * slf4j set-up of a whole process, so the documents' log lines are checked against the source, not a run.
 */
final class LogLineSource {

    /** {@code [time [thread] ][LEVEL] rtunnel.pkg.Class - message}, as slf4j-simple prints it with -l. */
    static final Pattern LOG_LINE = Pattern.compile(
            "^(?:\\S+ \\[[^\\]]+\\] )?\\[(DEBUG|INFO|WARN|ERROR)\\] (rtunnel\\.[\\w.]+) - (.*)$");

    /** A log call and its format: literal pieces joined by {@code +}, possibly over several lines. */
    private static final Pattern LOG_CALL = Pattern.compile(
            "log\\.(debug|info|warn|error)\\(\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+)");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final List<String> MODULES = List.of("rtunnel-common", "rtunnel-server", "rtunnel-client");

    private LogLineSource() {
    }

    static boolean isLogLine(String line) {
        return LOG_LINE.matcher(line).matches();
    }

    /** Why {@code line} cannot have been logged, or empty when a log call of its class can print it. */
    static Optional<String> mismatch(String line) throws IOException {
        Matcher log = LOG_LINE.matcher(line);
        if (!log.matches()) {
            return Optional.of("not a log line");
        }
        String level = log.group(1).toLowerCase(java.util.Locale.ROOT);
        String className = log.group(2);
        Optional<Path> source = sourceOf(className);
        if (source.isEmpty()) {
            return Optional.of("there is no class " + className);
        }
        List<String> formats = new ArrayList<>();
        Matcher call = LOG_CALL.matcher(Files.readString(source.get()));
        while (call.find()) {
            if (call.group(1).equals(level)) {
                formats.add(format(call.group(2)));
            }
        }
        for (String format : formats) {
            if (log.group(3).matches(pattern(format))) {
                return Optional.empty();
            }
        }
        return Optional.of(className + " logs at " + level + " only " + formats);
    }

    private static Optional<Path> sourceOf(String className) {
        String file = "src/main/java/" + className.replace('.', '/') + ".java";
        return MODULES.stream().map(module -> DocFiles.resolve(module + "/" + file)).filter(Files::isRegularFile)
                .findFirst();
    }

    /** The format the literal pieces of a call make together. */
    private static String format(String literals) {
        StringBuilder format = new StringBuilder();
        Matcher literal = LITERAL.matcher(literals);
        while (literal.find()) {
            format.append(literal.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return format.toString();
    }

    /** A regular expression for the messages {@code format} makes. */
    private static String pattern(String format) {
        StringBuilder regex = new StringBuilder();
        String[] pieces = format.split("\\{\\}", -1);
        for (int i = 0; i < pieces.length; i++) {
            regex.append(i > 0 ? ".+" : "").append(Pattern.quote(pieces[i]));
        }
        return regex.toString();
    }
}
