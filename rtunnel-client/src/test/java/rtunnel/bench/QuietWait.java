package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the processes a probe loads (the tunnels' servers and clients, sshd, nginx, the iperf3 server)
 * have finished the last probe's work: a tunnel can still be delivering buffered bytes, or a server tearing
 * down connections, after the client that made them has exited, and that would slow the next probe down.
 */
final class QuietWait {

    /** Reads the CPU time, in clock ticks, of one process tree. */
    @FunctionalInterface
    interface CpuTicks {
        long read() throws IOException;
    }

    /** How often the CPU times are read. */
    static final Duration STEP = Duration.ofMillis(100);

    /**
     * Quiet: all of them together used at most this share of one core over a step. A rtunnel pair at rest uses
     * almost none (a keep-alive every 2 s); one still relaying uses a whole core.
     */
    static final double QUIET_SHARE = 0.2;

    /** A process that stays busy longer than this is busy on its own account: the next probe goes ahead. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private final List<CpuTicks> processes = new ArrayList<>();
    private final int ticksPerSecond;

    QuietWait(int ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    void watch(CpuTicks process) {
        processes.add(process);
    }

    /** Returns once the watched processes are quiet; false if they were still busy at {@link #LIMIT}. */
    boolean await() {
        long quietTicks = Math.max(1, Math.round(QUIET_SHARE * ticksPerSecond * STEP.toMillis() / 1000.0));
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long before = total();
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(STEP.toNanos());
            long now = total();
            if (now - before <= quietTicks) {
                return true;
            }
            before = now;
        }
        return false;
    }

    private long total() {
        long sum = 0;
        for (CpuTicks process : processes) {
            try {
                sum += process.read();
            } catch (IOException gone) {
                // A process that has exited is quiet; the probe that needs it reports the failure.
            }
        }
        return sum;
    }
}
