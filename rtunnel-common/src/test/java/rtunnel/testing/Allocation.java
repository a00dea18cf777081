package rtunnel.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the calling thread by one call, as the JVM counts them (its TLAB accounting, so the
 * count includes arrays that were never filled). It sees what a hostile length field would make a reader
 * allocate even when the allocation is thrown away at once.
 */
public final class Allocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A call that can be run twice with the same outcome, and may throw what the code under test throws. */
    @FunctionalInterface
    public interface Repeatable {
        void run() throws Exception;
    }

    private Allocation() {
    }

    /**
     * Runs {@code call}, and fails when it allocated more than {@code limit} bytes twice in a row: the first
     * run of a path may load classes on this thread (and, while fuzzing, instrument them), so a run over the
     * limit is judged by a second, warm one. Rethrows what the call threw after the check.
     */
    public static void atMost(long limit, String what, Repeatable call) throws Exception {
        Exception thrown = null;
        long used = 0;
        for (int run = 0; run < 2 && (run == 0 || used > limit); run++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                call.run();
                thrown = null;
            } catch (Exception e) {
                thrown = e;
            }
            used = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        if (used > limit) {
            throw new AssertionError(what + " allocated " + used + " bytes, more than " + limit);
        }
        if (thrown != null) {
            throw thrown;
        }
    }
}
