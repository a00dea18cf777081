package rtunnel.relay;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.WindowUpdate;

/**
 * The frames waiting for a control connection, and what they cost in memory. A pong jumps the queue (the
 * peer measures our liveness by it) and only the latest one waits; window grants for one stream add up
 * into one frame; every other frame keeps its order. Not thread-safe: {@link ControlWriter} guards it.
 */
final class WriteQueue {

    /**
     * Queued frames beyond this make data senders wait. Four full frames keep the writer busy without
     * letting a slow link pile up every stream's window in memory.
     */
    static final int HIGH_WATER_BYTES = 256 * 1024;

    /**
     * The most a connection may hold for a peer that does not read. Data stops at {@link #HIGH_WATER_BYTES}
     * (plus the one frame each sender holds), so the rest is room for control frames: thousands of OPENs or
     * RESETs. Control frames are answers to what the peer sends; a peer that keeps asking without reading
     * fills this, and the connection is dropped.
     */
    static final int BUDGET_BYTES = 1024 * 1024;

    /**
     * What one pending pong or window grant costs, whatever its size on the wire: a frame object, its small
     * buffer, and a map entry.
     */
    static final int SMALL_FRAME_BYTES = 128;

    private ArrayDeque<Frame> frames = new ArrayDeque<>();
    private ArrayDeque<Frame> batch = new ArrayDeque<>();
    private final Map<Integer, Integer> windows = new LinkedHashMap<>();
    private byte[] pong;
    private long bytes;

    /** The memory a queued frame holds: its whole buffer (a pooled one is full size), plus the frame. */
    static long memory(Frame frame) {
        return frame.buffer().length + 32L;
    }

    /** Queues a control frame; false when that takes the queue over {@link #BUDGET_BYTES} (it is queued anyway). */
    boolean add(Frame frame) {
        addData(frame);
        return bytes <= BUDGET_BYTES;
    }

    /** Queues a frame whose sender waited for room (or a stream's own flow-control frame). */
    void addData(Frame frame) {
        frames.add(frame);
        bytes += memory(frame);
    }

    /** Keeps {@code payload} as the one pong to send first. */
    void pong(byte[] payload) {
        if (pong == null) {
            bytes += SMALL_FRAME_BYTES;
        }
        pong = payload;
    }

    /** Adds {@code increment} to what stream {@code streamId} will be granted. */
    void window(int streamId, int increment) {
        Integer before = windows.get(streamId);
        if (before == null) {
            bytes += SMALL_FRAME_BYTES;
            windows.put(streamId, increment);
        } else {
            // Grants only return bytes the stream consumed, within its window (far below 2^31).
            windows.put(streamId, Math.addExact(before, increment));
        }
    }

    boolean isEmpty() {
        return frames.isEmpty() && windows.isEmpty() && pong == null;
    }

    /** Bytes held by frames not yet written. */
    long bytes() {
        return bytes;
    }

    /**
     * Takes every queued frame in write order: the pong, the frames as queued, then the window grants. The
     * deque returned is reused by the next call, once the caller has emptied it.
     */
    ArrayDeque<Frame> takeAll() {
        ArrayDeque<Frame> taken = frames;
        frames = batch;
        batch = taken;
        if (pong != null) {
            taken.addFirst(counted(Frame.of(FrameType.PONG, 0, pong)));
            pong = null;
        }
        for (Map.Entry<Integer, Integer> grant : windows.entrySet()) {
            taken.add(counted(new WindowUpdate(grant.getKey(), grant.getValue()).toFrame()));
        }
        windows.clear();
        return taken;
    }

    /** A pending pong or grant becomes a frame: from now on it counts by its real size, as the writer will. */
    private Frame counted(Frame frame) {
        bytes += memory(frame) - SMALL_FRAME_BYTES;
        return frame;
    }

    /** {@code written} bytes of taken frames (by {@link #memory}) have left. */
    void written(long written) {
        bytes = Math.max(0, bytes - written);
    }

    /** Drops everything. */
    void clear() {
        frames.clear();
        windows.clear();
        pong = null;
        bytes = 0;
    }
}
