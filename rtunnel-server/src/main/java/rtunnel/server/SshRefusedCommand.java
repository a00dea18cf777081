package rtunnel.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * What an ssh client gets for a shell or a command: one line saying what this server does instead, on
 * its stderr, and exit status 1. The gateway only forwards ports.
 */
final class SshRefusedCommand implements Command {

    /** The line the ssh user reads. */
    static final String MESSAGE = "rtunnel: this server only forwards ports: use ssh -N -R [HOST:]PORT:HOST:PORT"
            + " (shells, commands and subsystems are refused)";

    private OutputStream err;
    private ExitCallback exit;

    @Override
    public void setInputStream(java.io.InputStream in) {
        // Nothing is read: the answer does not depend on what the user types.
    }

    @Override
    public void setOutputStream(OutputStream out) {
        // Everything goes to stderr, where ssh users look for errors.
    }

    @Override
    public void setErrorStream(OutputStream stream) {
        err = stream;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        exit = callback;
    }

    /**
     * Answers on a thread of its own, after MINA has replied to the shell or exec request: closing the
     * channel before that reply makes ssh report a failure of its own (status 255) instead of ours.
     */
    @Override
    public void start(ChannelSession channel, Environment env) {
        Thread answer = new Thread(() -> {
            try {
                err.write((MESSAGE + "\n").getBytes(StandardCharsets.UTF_8));
                err.flush();
            } catch (IOException e) {
                // The client left already: there is nobody to tell.
            }
            exit.onExit(1, "refused");
        }, "rtunnel-ssh-refusal");
        answer.setDaemon(true);
        answer.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
        // Nothing to free: start() did all the work.
    }
}
