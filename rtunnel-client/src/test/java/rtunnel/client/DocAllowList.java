package rtunnel.client;

import static java.util.Map.entry;

import java.util.Map;

/**
 * The examples in the documents that cannot run here, each with the reason and what checks it instead. An
 * entry is the exact text of a command or output line, so that an example added later is never let through
 * by one of these: it runs, or it gets an entry of its own.
 */
final class DocAllowList {

    private static final String ROOT = "needs root and writes /opt or /usr/local; .ci/run unpacks the release "
            + "archive in a temporary directory and runs its launchers";
    private static final String COMPLETION = "CompletionAndManPageTest runs it and checks that scripting.md shows it";

    private static final String SSH_GATEWAY = "needs myserver.com; SshGatewayTest runs the real ssh with these "
            + "options against the gateway on loopback (curl through a forward, -R 0, ExitOnForwardFailure)";

    private static final String SSH_NAMES = "needs myserver.com and ports 80 and 443; SshNamesEndToEndTest runs the "
            + "real ssh with -R NAME:80 and NAME:443 against the gateway and web ports on loopback";

    /** Command lines, with why they are not run. */
    static final Map<String, String> COMMANDS = Map.ofEntries(
            entry("sudo tar -xzf rtunnel-VERSION.tar.gz -C /opt", ROOT),
            entry("sudo ln -sfn /opt/rtunnel-VERSION /opt/rtunnel", ROOT),
            entry("sudo ln -s /opt/rtunnel/bin/rtunnel_server /opt/rtunnel/bin/rtunnel_client /usr/local/bin/",
                    ROOT + "; ServerLauncherTest runs a launcher through a symlink from another directory"),
            entry("ssh -N -R 4000:localhost:3000 me@myserver.com", "ssh -R needs an sshd to log in to"),
            entry("ssh -N -p 2222 -R 4000:localhost:3000 myserver.com", SSH_GATEWAY),
            entry("ssh -N -p 2222 -R 0:localhost:3000 -o ExitOnForwardFailure=yes -o ServerAliveInterval=15 "
                    + "myserver.com", SSH_GATEWAY),
            entry("ssh -N -p 2222 -o ExitOnForwardFailure=yes -R app:80:localhost:3000 myserver.com", SSH_NAMES),
            entry("ssh -N -p 2222 -o ExitOnForwardFailure=yes -R shop.myserver.com:443:localhost:3443 myserver.com",
                    SSH_NAMES),
            entry("bore local 3000 --to myserver.com", "bore is another program, not installed here"),
            entry("mvn -B test", "the test command itself; .ci/run runs it"),
            entry("JAZZER_FUZZ=1 mvn -B test -pl rtunnel-common -Dtest='*FuzzTest' -Dfuzz.seconds=90",
                    "fuzzes for about 18 minutes; mvn -B test replays every fuzz test's seeds and findings"),
            entry(GeneratedDocsTest.REGENERATE, "GeneratedDocsTest holds this command and checks scripting.md shows it"),
            entry("source docs/completion/rtunnel_server.bash", COMPLETION),
            entry("source docs/completion/rtunnel_client.bash", COMPLETION),
            entry("autoload -U +X compinit && compinit", COMPLETION),
            entry("autoload -U +X bashcompinit && bashcompinit", COMPLETION),
            entry("man -l docs/man/rtunnel_server.1", COMPLETION),
            entry("man -l docs/man/rtunnel_client.1", COMPLETION),
            entry("java -version", "records the Java the benchmark ran on; this machine's may differ"),
            entry("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java -version", "records the Java the benchmark ran on"));

    /** Output lines that no run here can print, with why. */
    static final Map<String, String> OUTPUT = Map.ofEntries(
            entry("rtunnel_client: http://app.myserver.com https://app.myserver.com -> localhost:3000",
                    "ports 80 and 443 need root; OutputCatalog records the line of a server on ephemeral ports, and "
                    + "PrintedEventsTest checks that the default ports are left out of the URLs"),
            entry("rtunnel_client: server myserver.com:19050: dead link, nothing received for 10244 ms; reconnecting"
                    + " in 0.9 s (attempt 1)", "needs a server that stops answering for -o seconds; ReliabilityTest "
                    + "cuts a live link"));

    /** Whether a shown line goes to the terminal, not to stdout or stderr (the passphrase prompt). */
    static boolean isTerminalOnly(String line) {
        return line.startsWith("Enter passphrase for ");
    }
}
