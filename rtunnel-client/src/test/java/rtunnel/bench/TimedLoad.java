package rtunnel.bench;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs workers flat out, each repeating one step (write a chunk, read a chunk, one request, one connection)
 * and counting what it moved, and measures the counts over a window that opens after a warm-up. In steady
 * state the bytes in flight are the same at both ends of the window, so counting at the sender is exact.
 */
final class TimedLoad {

    /** One unit of a worker's work; returns what to count (bytes, requests, connections). */
    @FunctionalInterface
    interface Step {
        long run() throws IOException;
    }

    /** Told when the measured window opens and closes, e.g. to read the processes' CPU time. */
    interface Observer {
        void opened() throws IOException;

        void closed() throws IOException;
    }

    /** An observer that does nothing. */
    static final Observer NONE = new Observer() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    /** How long stopping may take: workers finish their step, or their sockets are closed under them. */
    private static final long JOIN_MILLIS = 10_000;

    /** The counts of each worker over the window, and the window's length. */
    record Counts(long[] perWorker, double seconds) {
        long total() {
            long sum = 0;
            for (long count : perWorker) {
                sum += count;
            }
            return sum;
        }
    }

    private TimedLoad() {
    }

    /**
     * Runs {@code steps} (one worker each) for {@code warmup} plus {@code window}, then closes
     * {@code resources} (the workers' sockets) to stop any worker blocked in I/O.
     */
    static Counts run(String name, List<Step> steps, List<? extends Closeable> resources, Duration warmup,
            Duration window, Observer observer) throws IOException, InterruptedException {
        AtomicLong[] counters = new AtomicLong[steps.size()];
        AtomicReference<IOException> failure = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < steps.size(); i++) {
            AtomicLong counter = counters[i] = new AtomicLong();
            Step step = steps.get(i);
            Thread thread = new Thread(() -> work(step, counter, failure, failed, stop), "bench-" + name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            // Each phase lasts its length, unless a worker fails first: then the measurement stops at once.
            if (failed.await(warmup.toNanos(), TimeUnit.NANOSECONDS)) {
                failIfFailed(name, failure);
            }
            long[] before = snapshot(counters);
            observer.opened();
            long start = System.nanoTime();
            if (failed.await(window.toNanos(), TimeUnit.NANOSECONDS)) {
                failIfFailed(name, failure);
            }
            long[] after = snapshot(counters);
            long end = System.nanoTime();
            observer.closed();
            failIfFailed(name, failure);
            for (int i = 0; i < after.length; i++) {
                after[i] -= before[i];
            }
            return new Counts(after, (end - start) / 1e9);
        } finally {
            stop.set(true);
            for (Closeable resource : resources) {
                resource.close();
            }
            for (Thread thread : threads) {
                thread.join(JOIN_MILLIS);
            }
        }
    }

    private static void work(Step step, AtomicLong counter, AtomicReference<IOException> failure,
            CountDownLatch failed, AtomicBoolean stop) {
        try {
            while (!stop.get()) {
                counter.addAndGet(step.run());
            }
        } catch (IOException e) {
            if (!stop.get()) {
                failure.compareAndSet(null, e);
                failed.countDown();
            }
        }
    }

    private static long[] snapshot(AtomicLong[] counters) {
        long[] values = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            values[i] = counters[i].get();
        }
        return values;
    }

    private static void failIfFailed(String name, AtomicReference<IOException> failure) throws IOException {
        IOException e = failure.get();
        if (e != null) {
            throw new IOException(name + ": a worker failed: " + e, e);
        }
    }
}
