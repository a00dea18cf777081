package rtunnel.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text (iperf3's {@code -J} report) into maps, lists, strings, doubles, booleans and nulls. Just
 * enough JSON for a trusted local program's output: no limits on depth or size. Not thread-safe.
 */
final class JsonParser {

    private final String text;
    private int at;

    private JsonParser(String text) {
        this.text = text;
    }

    /** The value {@code text} holds; IllegalArgumentException naming the offset where it stops being JSON. */
    static Object parse(String text) {
        JsonParser parser = new JsonParser(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.at != text.length()) {
            throw parser.error("text after the value");
        }
        return value;
    }

    /** The member {@code path} leads to through nested objects, or null when one of them lacks it. */
    static Object member(Object json, String... path) {
        Object value = json;
        for (String name : path) {
            if (!(value instanceof Map<?, ?> object)) {
                return null;
            }
            value = object.get(name);
        }
        return value;
    }

    /** The number at {@code path}; IllegalArgumentException when there is none. */
    static double number(Object json, String... path) {
        if (member(json, path) instanceof Double number) {
            return number;
        }
        throw new IllegalArgumentException("no number at " + String.join(".", path));
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) {
            throw error("end of text where a value belongs");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> object = new LinkedHashMap<>();
        at++;
        if (next() == '}') {
            at++;
            return object;
        }
        while (true) {
            if (next() != '"') {
                throw error("a member name expected");
            }
            String name = string();
            expect(':');
            object.put(name, value());
            if (next() == '}') {
                at++;
                return object;
            }
            expect(',');
        }
    }

    private List<Object> array() {
        List<Object> array = new ArrayList<>();
        at++;
        if (next() == ']') {
            at++;
            return array;
        }
        while (true) {
            array.add(value());
            if (next() == ']') {
                at++;
                return array;
            }
            expect(',');
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> out.append(escaped);
            }
        }
        throw error("unterminated string");
    }

    private Double number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        try {
            return Double.valueOf(text.substring(start, at));
        } catch (NumberFormatException e) {
            at = start;
            throw error("a value expected");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("a value expected");
        }
        at += word.length();
        return value;
    }

    /** The next character after white space, without taking it; 0 at the end. */
    private char next() {
        skipSpace();
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("'" + c + "' expected");
        }
        at++;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not JSON at offset " + at + ": " + what);
    }
}
