package rtunnel.client;

import java.util.regex.Pattern;

/**
 * A printed line with what differs from run to run put in placeholders, so that the line a document shows
 * and the line the program really printed can be compared: host names and addresses ({@code myserver.com},
 * {@code 127.0.0.1}, {@code [::1]}) become {@code HOST}, absolute paths {@code PATH}, SHA256 fingerprints
 * {@code FINGERPRINT}, SSH public keys in Base64 ({@code AAAAC3Nza...}) {@code KEY}, and numbers (ports, delays,
 * counts) {@code #}. {@code localhost} and the words stay.
 */
final class OutputShape {

    /** A note a document puts after an output line: {@code (stderr)}, {@code (exit 3)}, {@code (-f 0: ...)}. */
    private static final Pattern NOTE = Pattern.compile("\\s+\\((?:stderr|stdout|exit \\d|-f )[^)]*\\)\\s*$");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9+/]*\\.\\.\\.)");
    /** A Base64 SSH key blob: each starts with the length of its type name, so with "AAAA". */
    private static final Pattern KEY = Pattern.compile("\\bAAAA[A-Za-z0-9+/]{16,}={0,2}");
    private static final Pattern PATH = Pattern.compile("(?<![\\w:])(?:/[\\w.+-]+)+");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:]+\\]");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");
    private static final Pattern HOST_NAME = Pattern.compile("\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|org|net)\\b");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d+(?:\\.\\d+)?");

    private OutputShape() {
    }

    /** The line without the document's trailing note, if any. */
    static String withoutNote(String line) {
        return NOTE.matcher(line).replaceFirst("").stripTrailing();
    }

    /** The shape of {@code line}. */
    static String of(String line) {
        String shape = withoutNote(line);
        shape = FINGERPRINT.matcher(shape).replaceAll("FINGERPRINT");
        shape = KEY.matcher(shape).replaceAll("KEY");
        shape = PATH.matcher(shape).replaceAll("PATH");
        shape = IPV6.matcher(shape).replaceAll("HOST");
        shape = IPV4.matcher(shape).replaceAll("HOST");
        shape = HOST_NAME.matcher(shape).replaceAll("HOST");
        return NUMBER.matcher(shape).replaceAll("#");
    }
}
