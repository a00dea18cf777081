package rtunnel.cli;

/**
 * A JSON string literal (RFC 8259) in plain ASCII: quotes, backslashes and control characters escaped, and
 * every character outside printable ASCII written as {@code \}{@code uXXXX}, so the line survives any
 * terminal, pipe or locale (a Java 17 stdout in the POSIX locale would print {@code ?} for non-ASCII).
 */
public final class JsonString {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonString() {
    }

    /** {@code text} in double quotes, escaped; {@code null} is the JSON literal {@code null}. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        json.append(c);
                    } else {
                        // A character beyond U+FFFF is two UTF-16 units, and JSON writes it as the same two escapes.
                        json.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
