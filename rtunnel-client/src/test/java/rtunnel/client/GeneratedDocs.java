package rtunnel.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import rtunnel.cli.DocFiles;
import rtunnel.server.ServerMain;

/**
 * The files made from the two programs' picocli annotations and committed under {@code docs/}: a bash
 * completion script (which zsh loads through bashcompinit) and a man page for each. They are generated
 * with no environment, so a developer's RTUNNEL_ variables never leak into them as defaults.
 * {@link GeneratedDocsTest} fails when the committed files differ, and writes them when asked (see there).
 */
final class GeneratedDocs {

    private GeneratedDocs() {
    }

    /** Each file's path in the repository and its content, as the annotations make it now. */
    static Map<String, String> generate() {
        CommandLine server = ServerMain.commandLine(Map.of());
        CommandLine client = ClientMain.commandLine(Map.of());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("docs/completion/rtunnel_server.bash", AutoComplete.bash(server.getCommandName(), server));
        files.put("docs/completion/rtunnel_client.bash", AutoComplete.bash(client.getCommandName(), client));
        files.put("docs/man/rtunnel_server.1", ManPage.of(server, "the public end of a reverse TCP tunnel",
                "rtunnel_client(1)", "docs/usage.md", "docs/scripting.md"));
        files.put("docs/man/rtunnel_client.1", ManPage.of(client,
                "expose a local TCP service on a public rtunnel server", "rtunnel_server(1)", "docs/usage.md",
                "docs/scripting.md"));
        return files;
    }

    /** Writes every file into the repository that holds the working directory. */
    static void write() throws IOException {
        for (Map.Entry<String, String> file : generate().entrySet()) {
            Path path = DocFiles.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }
}
