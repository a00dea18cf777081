package rtunnel.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One fenced code block of a Markdown document: where it starts ({@code docs/usage.md:364}, the line of its
 * opening fence), its info string ({@code sh}, {@code ini}, or empty) and its lines, with the indentation of
 * an indented fence removed. Tests that keep the documentation true find their examples with this.
 *
 * @param document the document's path in the repository, like {@code docs/usage.md}
 * @param line     the 1-based line of the opening fence
 * @param info     the word after the opening fence, or ""
 * @param lines    the lines between the fences
 */
public record FencedBlock(String document, int line, String info, List<String> lines) {

    private static final String FENCE = "```";

    /** {@code docs/usage.md:364}: how a failure names the example. */
    public String where() {
        return document + ":" + line;
    }

    /** The document line of {@code lines().get(index)}. */
    public int lineOf(int index) {
        return line + 1 + index;
    }

    /** The block's lines as one text, each ending in a newline. */
    public String text() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** Every fenced block of {@code document} (a repository path), in order. */
    public static List<FencedBlock> in(String document) {
        return parse(document, DocFiles.read(document));
    }

    /** The fenced blocks of {@code markdown}, which is the text of {@code document}. */
    public static List<FencedBlock> parse(String document, String markdown) {
        List<String> all = markdown.lines().toList();
        List<FencedBlock> blocks = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String opening = all.get(i);
            int indent = opening.indexOf(FENCE);
            if (indent < 0 || !opening.substring(0, indent).isBlank()) {
                continue;
            }
            int end = i + 1;
            while (end < all.size() && !all.get(end).strip().equals(FENCE)) {
                end++;
            }
            if (end == all.size()) {
                throw new AssertionError(document + ":" + (i + 1) + ": a fenced block that is never closed");
            }
            List<String> body = new ArrayList<>();
            for (String text : all.subList(i + 1, end)) {
                body.add(text.length() >= indent && text.substring(0, indent).isBlank() ? text.substring(indent) : text);
            }
            blocks.add(new FencedBlock(document, i + 1, opening.substring(indent + FENCE.length()).strip(),
                    List.copyOf(body)));
            i = end;
        }
        return blocks;
    }

    /** README.md and every docs/*.md, sorted: a new document is picked up without touching a test. */
    public static List<String> documents() {
        Path docs = DocFiles.resolve("docs");
        try (Stream<Path> files = Files.list(docs)) {
            List<String> documents = new ArrayList<>();
            documents.add("README.md");
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".md")).sorted()
                    .forEach(name -> documents.add("docs/" + name));
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
