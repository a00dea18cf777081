package rtunnel.relay;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;

/**
 * Keeps a control connection provably alive: sends a PING when this side has sent nothing for a while
 * (which also keeps NAT mappings open), and declares the link dead when nothing at all has arrived for
 * longer, so a half-open connection is noticed instead of holding its ports forever.
 */
public final class KeepAlive implements AutoCloseable {

    private final Multiplexer multiplexer;
    private final ControlWriter writer;
    private final long pingAfterNanos;
    private final long deadAfterNanos;
    private final Consumer<String> onDead;
    private ScheduledFuture<?> task;
    private long pings;

    /**
     * @param pingAfter send a PING when nothing was sent for this long
     * @param deadAfter call {@code onDead} with the reason when nothing was received for this long
     */
    public KeepAlive(Multiplexer multiplexer, ControlWriter writer, Duration pingAfter, Duration deadAfter,
            Consumer<String> onDead) {
        this.multiplexer = multiplexer;
        this.writer = writer;
        this.pingAfterNanos = pingAfter.toNanos();
        this.deadAfterNanos = deadAfter.toNanos();
        this.onDead = onDead;
    }

    /** Starts checking, four times per ping interval so a ping is late by at most a quarter interval. */
    public void start(Timer timer) {
        task = timer.every(Duration.ofNanos(Math.max(1, Math.min(pingAfterNanos, deadAfterNanos) / 4)), this::check);
    }

    private void check() {
        long now = System.nanoTime();
        long silentFor = now - multiplexer.lastReceivedNanos();
        if (silentFor >= deadAfterNanos) {
            task.cancel(false);
            onDead.accept("nothing received for " + Duration.ofNanos(silentFor).toMillis() + " ms");
            return;
        }
        if (now - writer.lastWriteNanos() >= pingAfterNanos) {
            byte[] payload = new byte[Multiplexer.PING_LENGTH];
            long number = ++pings;
            for (int i = payload.length - 1; i >= 0; i--) {
                payload[i] = (byte) number;
                number >>>= 8;
            }
            writer.send(Frame.of(FrameType.PING, 0, payload));
        }
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
