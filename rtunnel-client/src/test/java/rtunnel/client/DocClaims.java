package rtunnel.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import rtunnel.cli.DocFiles;

/**
 * The sentences of the documents' prose (fenced blocks and tables left out) that say with which status a
 * program exits: {@code exits 5}, {@code (exit 4)}, {@code exit status 0}. Each is a claim about behaviour
 * that only a test running the scenario can keep true.
 */
final class DocClaims {

    /** The documents whose prose users read for what the programs do. */
    static final List<String> DOCUMENTS = List.of("README.md", "docs/usage.md", "docs/operations.md",
            "docs/security.md", "docs/scripting.md", "docs/protocol.md", "docs/migrating.md");

    private static final Pattern EXIT_CLAIM = Pattern.compile(
            "\\bexit(?:s|ed)?(?: with)?(?: status| code)? \\d\\b|\\(exit \\d|\\bstatus \\d\\b");
    private static final Pattern LIST_ITEM = Pattern.compile("\\s*(?:[-*]|\\d+\\.)\\s");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.:!?])\\s+(?=[A-Z`(\"])");

    private DocClaims() {
    }

    /** A sentence of {@code document}, whitespace collapsed, that states an exit status. */
    record Claim(String document, String sentence) {
    }

    /** Every exit-status sentence of every document. */
    static List<Claim> all() {
        List<Claim> claims = new ArrayList<>();
        for (String document : DOCUMENTS) {
            for (String paragraph : paragraphs(DocFiles.read(document))) {
                for (String sentence : SENTENCE_END.split(paragraph)) {
                    if (EXIT_CLAIM.matcher(sentence).find()) {
                        claims.add(new Claim(document, sentence));
                    }
                }
            }
        }
        return claims;
    }

    /** {@code text} with its whitespace collapsed to single spaces. */
    static String collapsed(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /** The prose paragraphs, each on one line: fenced blocks, tables and headings are not prose. */
    private static List<String> paragraphs(String markdown) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            boolean prose = !fenced && !line.startsWith("```") && !line.startsWith("|") && !line.startsWith("#")
                    && !line.isBlank();
            if (prose && LIST_ITEM.matcher(line).lookingAt() && !paragraph.isEmpty()) {
                paragraphs.add(collapsed(paragraph.toString()));
                paragraph.setLength(0);
            }
            if (prose) {
                paragraph.append(' ').append(line);
            } else if (!paragraph.isEmpty()) {
                paragraphs.add(collapsed(paragraph.toString()));
                paragraph.setLength(0);
            }
        }
        if (!paragraph.isEmpty()) {
            paragraphs.add(collapsed(paragraph.toString()));
        }
        return paragraphs;
    }
}
