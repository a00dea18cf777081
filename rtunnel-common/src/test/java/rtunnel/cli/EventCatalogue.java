package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of JSON events in docs/scripting.md against what a program prints: every method of its events
 * interface, called with made-up values on its --json printer, prints one event, and the table lists
 * exactly the events so printed, for that program.
 */
public final class EventCatalogue {

    private static final Pattern ROW = Pattern.compile("^\\| (server|client) \\| `(\\w+)` \\|", Pattern.MULTILINE);
    private static final Pattern EVENT = Pattern.compile("^\\{\"event\":\"(\\w+)\"", Pattern.MULTILINE);

    private EventCatalogue() {
    }

    /**
     * Calls every method of {@code events} on a printer made by {@code printer} (given its stdout), with the
     * value {@code values} gives for each parameter type, and checks the table's rows for {@code program}.
     */
    public static <T> void assertListsEveryEvent(String program, Class<T> events,
            Function<PrintWriter, T> printer, Map<Class<?>, Object> values) throws Exception {
        StringWriter printed = new StringWriter();
        T printing = printer.apply(new PrintWriter(printed, true));
        Set<String> names = new TreeSet<>();
        for (Method method : events.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            int before = printed.getBuffer().length();
            Object[] arguments = new Object[method.getParameterCount()];
            for (int i = 0; i < arguments.length; i++) {
                Class<?> type = method.getParameterTypes()[i];
                assertTrue(values.containsKey(type), "no made-up value for a " + type + " in " + method);
                arguments[i] = values.get(type);
            }
            try {
                method.invoke(printing, arguments);
            } catch (InvocationTargetException e) {
                throw new AssertionError(method + " failed", e.getCause());
            }
            Matcher event = EVENT.matcher(printed.getBuffer().substring(before));
            assertTrue(event.find(), method + " printed no JSON event: " + printed.getBuffer().substring(before));
            names.add(event.group(1));
        }
        Set<String> listed = new TreeSet<>();
        Matcher row = ROW.matcher(DocFiles.read(DocFiles.SCRIPTING));
        while (row.find()) {
            if (row.group(1).equals(program)) {
                listed.add(row.group(2));
            }
        }
        assertEquals(names, listed, DocFiles.SCRIPTING + ": the " + program + " rows of the events table");
    }
}
