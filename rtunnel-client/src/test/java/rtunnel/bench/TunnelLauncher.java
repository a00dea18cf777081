package rtunnel.bench;

import java.io.IOException;
import java.util.List;

/** Starts a tunnel of any kind the benchmark measures: an rtunnel pair in one mode, or {@code ssh -R}. */
final class TunnelLauncher {

    private final ChildPrograms programs;
    private final ProgramCommands commands;
    private final InstalledTools tools;

    TunnelLauncher(ChildPrograms programs, ProgramCommands commands, InstalledTools tools) {
        this.programs = programs;
        this.commands = commands;
        this.tools = tools;
    }

    /** A fresh tunnel of {@code side} with one public port per target; {@code label} names its log files. */
    TunnelPair start(Side side, String label, List<Integer> targetPorts) throws IOException, InterruptedException {
        if (side == Side.SSH) {
            return SshForward.start(programs, tools, label + "-ssh", targetPorts);
        }
        if (!side.isRtunnel()) {
            throw new IllegalArgumentException("no tunnel for " + side.key());
        }
        return TunnelProcesses.start(programs, commands, side, label, targetPorts);
    }
}
