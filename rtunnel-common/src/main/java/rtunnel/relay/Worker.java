package rtunnel.relay;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One task started by {@link SocketThreads}, on a virtual thread or a pooled platform thread. Its owner
 * waits for it through here, since a pooled thread outlives the task.
 */
public final class Worker {

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread runner;

    /** Runs {@code task} on the calling thread under {@code name}, then marks it done. */
    void run(String name, Runnable task) {
        Thread current = Thread.currentThread();
        runner = current;
        String previous = current.getName();
        current.setName(name);
        try {
            task.run();
        } finally {
            current.setName(previous);
            runner = null;
            done.countDown();
        }
    }

    /** The task will never run (no thread could be started for it): whoever waits for it need not. */
    void abandon() {
        done.countDown();
    }

    /** Whether the caller is this worker's own task (which must not wait for itself). */
    public boolean isCurrentThread() {
        return runner == Thread.currentThread();
    }

    /** Waits up to {@code millis} for the task to end; returns at once when called from the task itself. */
    public void join(long millis) throws InterruptedException {
        if (!isCurrentThread()) {
            done.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the task has ended. */
    public boolean isDone() {
        return done.getCount() == 0;
    }
}
