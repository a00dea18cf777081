package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which stream a document says an output line is on: {@code (stdout)} or {@code (stderr)} after the line.
 * A note must be true, and output that comes from both streams must say on every line which one it is on,
 * so that a reader piping stdout into a script knows what reaches it.
 */
final class StreamNotes {

    private static final Pattern NOTE = Pattern.compile("\\((stdout|stderr)\\b[^)]*\\)\\s*$");

    private StreamNotes() {
    }

    /** The stream a line's note names, if it has one. */
    static Optional<String> of(String line) {
        Matcher note = NOTE.matcher(line);
        return note.find() ? Optional.of(note.group(1)) : Optional.empty();
    }

    /**
     * Checks the notes of {@code shown}, given the streams a real run printed each shape on ({@code stdout},
     * {@code stderr}, both, or none when the run did not print it).
     */
    static void check(String where, List<String> shown, Function<String, Set<String>> streamsOfShape) {
        Set<String> seen = new HashSet<>();
        for (String line : shown) {
            Set<String> streams = streamsOfShape.apply(OutputShape.of(line));
            Optional<String> note = of(line);
            note.ifPresent(stream -> assertTrue(streams.isEmpty() || streams.contains(stream),
                    where + ": the line is printed on " + streams + ", not " + stream + ": " + line));
            if (streams.size() == 1) {
                seen.addAll(streams);
            }
        }
        if (seen.size() > 1) {
            for (String line : shown) {
                assertTrue(of(line).isPresent() || streamsOfShape.apply(OutputShape.of(line)).isEmpty(), where
                        + ": these lines come from stdout and stderr: end each with (stdout) or (stderr): " + line);
            }
        }
    }
}
