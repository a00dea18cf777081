package rtunnel.relay;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that runs the deadlines and periodic checks of a server or client (handshake deadlines,
 * keep-alives). Tasks must be quick: they send a frame or close a socket, never wait.
 */
public final class Timer implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    public Timer(String name) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled deadlines (every handshake that finishes in time) must not pile up in the queue.
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} once after {@code delay}. */
    public ScheduledFuture<?> after(Duration delay, Runnable task) {
        return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} every {@code period}, first after one period. */
    public ScheduledFuture<?> every(Duration period, Runnable task) {
        return executor.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops the thread; pending tasks are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
