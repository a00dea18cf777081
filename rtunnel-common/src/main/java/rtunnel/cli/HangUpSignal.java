package rtunnel.cli;

import sun.misc.Signal;

/**
 * SIGHUP for a running program: the server reads its authorized keys again, a waiting client retries now.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK): the JDK has no public API
 * for signals other than shutdown.
 */
public final class HangUpSignal {

    private HangUpSignal() {
    }

    /** Runs {@code action} on every SIGHUP; false when this platform has no SIGHUP (then nothing happens). */
    public static boolean onHangUp(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> action.run());
            return true;
        } catch (IllegalArgumentException noSuchSignal) {
            // Windows has no SIGHUP; reloading there needs a restart.
            return false;
        }
    }
}
