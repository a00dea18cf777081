package rtunnel.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line as a document shows it, {@code [$ ][NAME=VALUE ...] PROGRAM [ARG ...]}, split on spaces
 * (the examples use no quotes), so that a test can run exactly the example it checks the document for.
 */
public record ExampleCommand(Map<String, String> environment, String program, List<String> args) {

    /** Splits {@code line}; a leading {@code $ } (a console prompt) is dropped. */
    public static ExampleCommand parse(String line) {
        String[] words = line.replaceFirst("^\\$ ", "").trim().split(" +");
        Map<String, String> environment = new LinkedHashMap<>();
        int i = 0;
        while (i < words.length && words[i].matches("[A-Z_][A-Z0-9_]*=.*")) {
            int equals = words[i].indexOf('=');
            environment.put(words[i].substring(0, equals), words[i].substring(equals + 1));
            i++;
        }
        if (i == words.length) {
            throw new IllegalArgumentException("no program in '" + line + "'");
        }
        return new ExampleCommand(environment, words[i], List.of(words).subList(i + 1, words.length));
    }

    /** The arguments as an array, for a program's {@code run} or {@code parseArgs}. */
    public String[] argArray() {
        return args.toArray(String[]::new);
    }

    /** {@code NAME=VALUE ...} for {@code /usr/bin/env}, then {@code launcher} and the arguments. */
    public List<String> envCommand(String launcher) {
        List<String> command = new ArrayList<>();
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.add(launcher);
        command.addAll(args);
        return command;
    }
}
