package rtunnel.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A shell command line split into words the way sh splits it before expanding anything: quotes group and
 * disappear, a backslash escapes the next character, and an unquoted {@code #} starting a word begins a
 * comment. Variables ({@code "$server"}) stay as written: a document's examples are read, not expanded.
 */
public final class ShellWords {

    private ShellWords() {
    }

    /** The words of {@code line}, without its comment. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " in: " + line);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
