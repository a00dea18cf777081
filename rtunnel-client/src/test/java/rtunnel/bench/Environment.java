package rtunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine and Java a run measured, recorded beside its figures.
 *
 * @param java            java.version of the benchmark, server and client (one Java runs all three)
 * @param vm              java.vm.name and java.vm.version
 * @param cores           processors available to the JVM
 * @param memoryKib       MemTotal from /proc/meminfo, in KiB
 * @param openFilesLimit  this process's soft limit on open files, from /proc/self/limits
 * @param clockTicks      CPU clock ticks per second (getconf CLK_TCK)
 * @param os              os.name, os.version, os.arch
 * @param loadAverage     /proc/loadavg's 1, 5 and 15 minute load averages when the run started: well above 0,
 *                        other work (or an earlier run) was competing for the cores
 */
record Environment(String java, String vm, int cores, long memoryKib, long openFilesLimit, int clockTicks,
        String os, String loadAverage) {

    static Environment detect() {
        return new Environment(System.getProperty("java.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), readMemTotalKib(), readOpenFilesLimit(),
                ProcessStats.clockTicksPerSecond(), System.getProperty("os.name") + " "
                        + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                readLoadAverage());
    }

    /** The 1, 5 and 15 minute load averages now, e.g. "0.12 0.40 0.35". */
    static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    /** The Java feature release, e.g. 17 or 25. */
    int javaFeature() {
        return Runtime.version().feature();
    }

    private static long readMemTotalKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or an unusual /proc: report it as unknown.
        }
        return -1;
    }

    private static long readOpenFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                    return words[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(words[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Unknown: the memory probe will find out the hard way and report the error.
        }
        return -1;
    }
}
