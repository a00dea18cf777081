package rtunnel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real programs this machine has for the benchmark's real-client probes and the {@code ssh -R} peer, found
 * on PATH (and in the sbin directories, which a non-root PATH may lack). Each is null when missing. The
 * benchmark installs nothing: it says what it skips and why.
 *
 * @param iperf3     the bulk-transfer client and server
 * @param wrk        the HTTP load generator
 * @param nginx      the web server wrk loads
 * @param sshd       OpenSSH's server, always {@code /usr/sbin/sshd}: sshd re-executes itself by absolute path
 * @param ssh        OpenSSH's client
 * @param sshKeygen  makes the throw-away host and client keys
 * @param unshare    puts nginx in a PID namespace of its own, so its workers die with it (root only)
 * @param root       whether the benchmark runs as root (sshd's /run/sshd, logging in, PID namespaces)
 */
record InstalledTools(Path iperf3, Path wrk, Path nginx, Path sshd, Path ssh, Path sshKeygen, Path unshare,
        boolean root) {

    /** Where OpenSSH's sshd lives on Debian and most distributions. */
    static final Path SSHD = Path.of("/usr/sbin/sshd");

    /** The directory sshd insists on for privilege separation; it must exist before sshd starts. */
    static final Path SSHD_PRIVSEP_DIRECTORY = Path.of("/run/sshd");

    /** The Debian packages that hold the tools, for the messages. */
    static final String PACKAGES = "iperf3 wrk nginx-light openssh-server openssh-client";

    /** How long a tool may take to print its version. */
    private static final long VERSION_LIMIT_SECONDS = 5;

    static InstalledTools detect() {
        return new InstalledTools(find("iperf3"), find("wrk"), find("nginx"), Files.isExecutable(SSHD) ? SSHD : null,
                find("ssh"), find("ssh-keygen"), find("unshare"), runsAsRoot());
    }

    /** Why the iperf3 probes cannot run, or empty when they can. */
    Optional<String> iperf3Missing() {
        return iperf3 == null ? Optional.of("iperf3 is not installed (package iperf3)") : Optional.empty();
    }

    /** Why the wrk probes cannot run, or empty when they can. */
    Optional<String> wrkMissing() {
        if (wrk == null) {
            return Optional.of("wrk is not installed (package wrk)");
        }
        return nginx == null ? Optional.of("nginx is not installed (package nginx-light)") : Optional.empty();
    }

    /** Why the {@code ssh -R} peer cannot run, or empty when it can. */
    Optional<String> sshMissing() {
        if (sshd == null) {
            return Optional.of(SSHD + " is not installed (package openssh-server)");
        }
        if (ssh == null || sshKeygen == null) {
            return Optional.of("ssh or ssh-keygen is not installed (package openssh-client)");
        }
        if (!Files.isDirectory(SSHD_PRIVSEP_DIRECTORY) && !root) {
            return Optional.of(SSHD_PRIVSEP_DIRECTORY + " is missing and only root can create it");
        }
        return Optional.empty();
    }

    /** One line per tool found, with the version it reports, for the report's header. */
    List<String> versions() {
        List<String> versions = new ArrayList<>();
        addVersion(versions, iperf3, "-v");
        addVersion(versions, wrk, "-v");
        addVersion(versions, nginx, "-v");
        addVersion(versions, ssh, "-V");
        return versions;
    }

    private static void addVersion(List<String> versions, Path tool, String flag) {
        if (tool == null) {
            return;
        }
        try {
            Process process = new ProcessBuilder(tool.toString(), flag).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(VERSION_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return;
            }
            String first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("").strip();
            // wrk prints its usage after the version; "Copyright ..." is noise in a one-line summary.
            int copyright = first.indexOf(" Copyright");
            versions.add(copyright > 0 ? first.substring(0, copyright) : first);
        } catch (IOException e) {
            versions.add(tool + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code name} on PATH or in the sbin directories; null when none is executable. */
    private static Path find(String name) {
        List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        directories.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String directory : directories) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Whether the effective user id is 0, from /proc/self/status ("Uid: real effective saved fs"). */
    private static boolean runsAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            // Not Linux: treat as not root, so nothing that needs root is attempted.
        }
        return false;
    }
}
