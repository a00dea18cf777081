package rtunnel.cli;

import java.time.Duration;

/**
 * Lets SIGTERM and SIGINT stop a running program cleanly: a shutdown hook closes the service and ends the
 * process with {@link ExitCodes#OK}. Without the halt the JVM would exit with 128 + the signal number.
 * Close this (which removes the hook) before the program returns an exit status of its own.
 */
public final class StopSignal implements AutoCloseable {

    /** Long enough for a service's {@code close()} to await its threads; short enough that SIGTERM still works. */
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);

    private final Thread hook;

    private StopSignal(Thread hook) {
        this.hook = hook;
    }

    /** Registers a hook that runs {@code close}, then halts with 0 (or 1 when close outlives its deadline). */
    public static StopSignal install(String program, Runnable close) {
        return install(program, close, CLOSE_DEADLINE);
    }

    /**
     * Like {@link #install(String, Runnable)}, for a {@code close} that may take up to {@code drain} to let
     * open streams finish before it closes.
     */
    public static StopSignal install(String program, Runnable close, Duration drain) {
        Duration deadline = drain.plus(CLOSE_DEADLINE);
        Thread hook = new Thread(() -> stop(program, close, deadline), "rtunnel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return new StopSignal(hook);
    }

    private static void stop(String program, Runnable close, Duration deadline) {
        Thread closer = new Thread(close, "rtunnel-shutdown-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(deadline.toMillis());
        } catch (InterruptedException e) {
            // Nobody interrupts a shutdown hook; if it happens anyway, halt now like a timeout.
            Thread.currentThread().interrupt();
        }
        boolean stopped = !closer.isAlive();
        if (!stopped) {
            System.err.println(program + ": did not stop within " + deadline.toSeconds() + " s; exiting");
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(stopped ? ExitCodes.OK : ExitCodes.INTERNAL);
    }

    /** Removes the hook, unless the process is already stopping (then the hook decides the exit status). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it closes the service and halts with the right status.
        }
    }
}
