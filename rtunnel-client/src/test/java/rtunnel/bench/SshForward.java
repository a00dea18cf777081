package rtunnel.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer to beat: {@code ssh -R} to a throw-away sshd on 127.0.0.1, one remote forward per target, with
 * AES-128-GCM, the fastest cipher OpenSSH offers on hardware with AES instructions. sshd (with its session
 * processes) is the server side, ssh the client side.
 */
final class SshForward implements TunnelPair {

    /** sshd allocates each public port (the forward asks for port 0), and ssh says which on stderr. */
    private static final Pattern ALLOCATED =
            Pattern.compile("Allocated port (\\d+) for remote forward to 127\\.0\\.0\\.1:(\\d+)");

    /** The cipher {@code ssh -c} asks for. */
    static final String CIPHER = "aes128-gcm@openssh.com";

    private final ChildPrograms programs;
    private final ThrowawaySshd sshd;
    private final ChildProgram ssh;
    private final Map<Integer, Integer> publicPortByTarget;

    private SshForward(ChildPrograms programs, ThrowawaySshd sshd, ChildProgram ssh,
            Map<Integer, Integer> publicPortByTarget) {
        this.programs = programs;
        this.sshd = sshd;
        this.ssh = ssh;
        this.publicPortByTarget = publicPortByTarget;
    }

    /**
     * Starts sshd, then ssh with a forward to each of {@code targetPorts}, and returns once ssh has said which
     * port sshd allocated for each and the first forward accepts a connection. Only the first is tried: that
     * connection reaches its target and is closed at once, which a sink or an echo takes in its stride but an
     * iperf3 server logs as an error (or, arriving late, as a second client during the next test).
     */
    static SshForward start(ChildPrograms programs, InstalledTools tools, String label, List<Integer> targetPorts)
            throws IOException, InterruptedException {
        ThrowawaySshd sshd = ThrowawaySshd.start(programs, tools, label);
        ChildProgram ssh = null;
        try {
            ssh = programs.start(label + "-ssh", command(tools, sshd, targetPorts));
            Map<Integer, Integer> ports = new HashMap<>();
            for (Matcher allocated : ssh.awaitLogLines(ALLOCATED, targetPorts.size(), ThrowawaySshd.START_TIMEOUT)) {
                ports.put(Integer.parseInt(allocated.group(2)), Integer.parseInt(allocated.group(1)));
            }
            ssh.awaitConnectable(ports.get(targetPorts.get(0)), ThrowawaySshd.START_TIMEOUT);
            return new SshForward(programs, sshd, ssh, ports);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (ssh != null) {
                programs.stop(ssh);
            }
            sshd.close();
            throw e;
        }
    }

    private static List<String> command(InstalledTools tools, ThrowawaySshd sshd, List<Integer> targetPorts) {
        List<String> command = new ArrayList<>(List.of(tools.ssh().toString(), "-F", "/dev/null", "-N"));
        for (int target : targetPorts) {
            command.addAll(List.of("-R", "127.0.0.1:0:127.0.0.1:" + target));
        }
        // Nothing read from or written to ~/.ssh: a port reused by a later run must not meet this host key.
        command.addAll(List.of("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ExitOnForwardFailure=yes", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=20",
                "-c", CIPHER, "-i", sshd.clientKey().toString(), "-p", Integer.toString(sshd.port()),
                (tools.root() ? "root" : System.getProperty("user.name")) + "@127.0.0.1"));
        return command;
    }

    @Override
    public int publicPort(int targetPort) {
        Integer port = publicPortByTarget.get(targetPort);
        if (port == null) {
            throw new IllegalArgumentException("no forward to port " + targetPort);
        }
        return port;
    }

    @Override
    public ProcessStats serverStats() throws IOException {
        return TunnelProcesses.stats(sshd.program());
    }

    @Override
    public ProcessStats clientStats() throws IOException {
        return TunnelProcesses.stats(ssh);
    }

    @Override
    public boolean eitherExitedWithin(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.anyOf(sshd.program().onExit(), ssh.onExit()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Stops ssh first, so sshd's session processes end with its connection, then sshd. */
    @Override
    public void close() {
        try {
            programs.stop(ssh);
        } finally {
            try {
                sshd.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove sshd's temporary files", e);
            }
        }
    }
}
