package rtunnel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux reports about one process at one moment: resident memory and thread count from
 * {@code /proc/<pid>/status}, user plus system CPU time from {@code /proc/<pid>/stat}.
 *
 * @param rssKib       VmRSS, in KiB
 * @param threads      the number of threads
 * @param userTicks    utime: CPU time running the process's own code (Java, JIT, GC), in clock ticks
 * @param kernelTicks  stime: CPU time in the kernel on its behalf (system calls, TCP), in clock ticks
 */
record ProcessStats(long rssKib, int threads, long userTicks, long kernelTicks) {

    /** Fields 14 and 15 of /proc/pid/stat, counted from 1; the 2nd field (the name) may hold spaces. */
    private static final int UTIME_FIELD = 14;

    /** Reads the figures of process {@code pid}. */
    static ProcessStats of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = -1;
        int threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
        // Fields after the name, which ends at the last ')': state is field 3.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        int utime = UTIME_FIELD - 3;
        if (rss < 0 || threads < 0) {
            throw new IOException("no VmRSS or Threads in " + proc.resolve("status"));
        }
        return new ProcessStats(rss, threads, Long.parseLong(fields[utime]), Long.parseLong(fields[utime + 1]));
    }

    /**
     * The figures of process {@code pid} and of every process it started, added up: sshd's listener with its
     * session processes, which hold the forwarded connections.
     */
    static ProcessStats ofTree(long pid) throws IOException {
        ProcessStats total = of(pid);
        List<ProcessHandle> descendants = ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
        for (ProcessHandle descendant : descendants) {
            try {
                ProcessStats one = of(descendant.pid());
                total = new ProcessStats(total.rssKib + one.rssKib, total.threads + one.threads,
                        total.userTicks + one.userTicks, total.kernelTicks + one.kernelTicks);
            } catch (IOException gone) {
                // It exited between the listing and the reading (sshd's pre-authentication child): nothing to add.
            }
        }
        return total;
    }

    /** User plus kernel CPU time, in clock ticks. */
    long cpuTicks() {
        return userTicks + kernelTicks;
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}): the unit of the CPU times in /proc. */
    static int clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor();
            return Integer.parseInt(out);
        } catch (IOException | NumberFormatException e) {
            return 100; // USER_HZ is 100 on every mainstream Linux architecture.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
