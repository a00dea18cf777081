package rtunnel.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command of a documentation example and the output the document shows under it. In a block with
 * prompts ({@code $ }, {@code vps$ }) the prompted lines are commands and the lines after one are its
 * output; in a block without prompts every line is a command. A line ending in {@code \} goes on in the
 * next one. A step without a command is output the block shows on its own.
 *
 * @param line        the document line the command (or the output) starts on
 * @param host        the prompt's machine ({@code vps} for {@code vps$ }), or ""
 * @param command     the command as written, continuations joined; "" for output on its own
 * @param environment the {@code NAME=VALUE} words before the program
 * @param words       the program and its arguments, split as sh would (see {@link ShellWords})
 * @param output      the lines shown under the command, blank lines left out
 */
public record ConsoleStep(int line, String host, String command, Map<String, String> environment,
        List<String> words, List<String> output) {

    private static final Pattern PROMPT = Pattern.compile("^([\\w-]*)\\$\\s+(.*)$");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

    /** The program (the first word after the assignments), or "" for output on its own. */
    public String program() {
        return words.isEmpty() ? "" : words.get(0);
    }

    /** The arguments after the program. */
    public List<String> args() {
        return words.isEmpty() ? List.of() : words.subList(1, words.size());
    }

    /** Whether this step is output the block shows without a command. */
    public boolean isOutputOnly() {
        return command.isEmpty();
    }

    /** The steps of {@code block}. */
    public static List<ConsoleStep> of(FencedBlock block) {
        List<String> lines = block.lines();
        boolean prompted = lines.stream().anyMatch(text -> PROMPT.matcher(text).matches());
        List<ConsoleStep> steps = new ArrayList<>();
        Builder current = null;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int at = block.lineOf(i);
            Matcher prompt = PROMPT.matcher(text);
            boolean isCommand = prompted ? prompt.matches() : looksLikeCommand(text);
            if (isCommand) {
                StringBuilder command = new StringBuilder(prompted ? prompt.group(2) : text.strip());
                while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                    command.setLength(command.length() - 1);
                    command.append(' ').append(lines.get(++i).strip());
                }
                add(steps, current);
                current = new Builder(at, prompted ? prompt.group(1) : "", command.toString());
            } else if (!text.isBlank() && (prompted || !text.strip().startsWith("#"))) {
                if (current == null) {
                    current = new Builder(at, "", "");
                }
                current.output.add(text);
            }
        }
        add(steps, current);
        return steps;
    }

    /**
     * Whether a line of a block without prompts is a command: its first word after any {@code NAME=VALUE}
     * is a plain word or path ({@code rtunnel_server}, {@code bin/rtunnel-bench}), not output such as
     * {@code rtunnel_client: ...}, a JSON object or a time stamp.
     */
    public static boolean looksLikeCommand(String line) {
        if (line.isBlank() || line.strip().startsWith("#")) {
            return false;
        }
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (IllegalArgumentException e) {
            // Unbalanced quotes: output (a log line quoting something), not a command.
            return false;
        }
        // Assignments alone are a command too: the lines of an environment file.
        return words.stream().dropWhile(word -> ASSIGNMENT.matcher(word).matches()).findFirst()
                .map(program -> program.matches("[\\w./~-]+") && !program.matches("[\\d.]+")).orElse(true);
    }

    private static void add(List<ConsoleStep> steps, Builder step) {
        if (step != null) {
            steps.add(step.build());
        }
    }

    /** A step while its output lines are still being read. */
    private static final class Builder {
        final int line;
        final String host;
        final String command;
        final List<String> output = new ArrayList<>();

        Builder(int line, String host, String command) {
            this.line = line;
            this.host = host;
            this.command = command;
        }

        ConsoleStep build() {
            List<String> words = new ArrayList<>(ShellWords.split(command));
            Map<String, String> environment = new LinkedHashMap<>();
            while (!words.isEmpty() && ASSIGNMENT.matcher(words.get(0)).matches()) {
                String assignment = words.remove(0);
                int equals = assignment.indexOf('=');
                environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
            return new ConsoleStep(line, host, command, environment, List.copyOf(words), List.copyOf(output));
        }
    }
}
