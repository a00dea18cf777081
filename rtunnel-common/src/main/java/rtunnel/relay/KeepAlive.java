package rtunnel.relay;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;

/**
 * Keeps a control connection provably alive: sends a PING when this side has sent nothing for a while
 * (which also keeps NAT mappings open), and declares the peer dead when it has sent nothing while this side
 * waited for it, or when it has taken none of our bytes, for longer. Both are measured at the socket, not by
 * how fast this side works: a reader or writer slowed by load here is never mistaken for a dead peer.
 */
public final class KeepAlive implements AutoCloseable {

    private final WatchedInput input;
    private final ControlWriter writer;
    private final long pingAfterNanos;
    private final long deadAfterNanos;
    private final Consumer<String> onDead;
    private ScheduledFuture<?> task;
    private long pings;
    private boolean dead;

    /**
     * @param pingAfter send a PING when nothing was sent for this long
     * @param deadAfter call {@code onDead} with the reason when the peer was silent, or took none of our
     *     bytes, for this long
     */
    KeepAlive(WatchedInput input, ControlWriter writer, Duration pingAfter, Duration deadAfter,
            Consumer<String> onDead) {
        this.input = input;
        this.writer = writer;
        this.pingAfterNanos = pingAfter.toNanos();
        this.deadAfterNanos = deadAfter.toNanos();
        this.onDead = onDead;
    }

    /** Starts checking, four times per ping interval so a ping is late by at most a quarter interval. */
    void start(Timer timer) {
        task = timer.every(Duration.ofNanos(Math.max(1, Math.min(pingAfterNanos, deadAfterNanos) / 4)),
                () -> check(System.nanoTime()));
    }

    /** One check at {@code now}: declares the peer dead, or pings, or does nothing. */
    void check(long now) {
        if (dead) {
            return;
        }
        long blocked = writer.writeBlockedNanos(now);
        if (blocked >= deadAfterNanos) {
            declareDead("peer stopped reading: a write has been blocked for " + millis(blocked) + " ms");
            return;
        }
        long silent = input.silentNanos(now);
        if (silent >= deadAfterNanos) {
            declareDead("nothing received for " + millis(silent) + " ms");
            return;
        }
        if (now - writer.lastWriteNanos() >= pingAfterNanos) {
            writer.send(ping(++pings));
        }
    }

    private void declareDead(String reason) {
        dead = true;
        close();
        onDead.accept(reason);
    }

    /** A PING carrying {@code number} in its 8 bytes (the peer echoes them; we need not check them). */
    private static Frame ping(long number) {
        byte[] payload = new byte[FrameDispatcher.PING_LENGTH];
        for (int i = payload.length - 1; i >= 0; i--) {
            payload[i] = (byte) number;
            number >>>= 8;
        }
        return Frame.of(FrameType.PING, 0, payload);
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
