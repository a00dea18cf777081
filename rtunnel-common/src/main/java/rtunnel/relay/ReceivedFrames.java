package rtunnel.relay;

import java.util.ArrayDeque;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;

/**
 * The DATA a stream has received and not yet written to its socket, in order, and whether a writer waits for
 * it. Small frames are copied together into one buffer while they wait. Not thread-safe: {@link StreamState}
 * guards it.
 */
final class ReceivedFrames {

    /**
     * DATA frames smaller than this are copied together into one buffer while they wait for the socket:
     * a peer (or a visitor behind it) trickling one-byte frames would otherwise make this side hold a frame
     * object and buffer of ~100 bytes per byte of window.
     */
    static final int SMALL_FRAME_BYTES = 2 * 1024;

    /** The largest buffer small frames are gathered into: a few system calls' worth for the socket writer. */
    static final int GATHER_BYTES = 16 * 1024;

    /** The first gather buffer while the socket keeps up: an interactive stream's keystroke, not 16 KiB. */
    private static final int FIRST_GATHER_BYTES = 512;

    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    /** Small frames' bytes not yet queued, at payload offset; null when none wait. */
    private byte[] gather;
    private int gathered;
    /** The socket writer ended, idle (see {@link Stream#IDLE_WRITER_NANOS}): the next frame needs a new one. */
    private boolean writerParked;

    /** Adds a frame behind those received before it. */
    void add(Frame frame) {
        if (frame.length() < SMALL_FRAME_BYTES) {
            gather(frame);
        } else {
            queueGathered();
            queued.add(frame);
        }
    }

    /** Copies a small frame's bytes behind those gathered before. */
    private void gather(Frame frame) {
        int length = frame.length();
        if (gather != null && gathered + length > gather.length - Frame.bufferSize(0)) {
            queueGathered();
        }
        if (gather == null) {
            int capacity = Math.max(length, queued.isEmpty() ? FIRST_GATHER_BYTES : GATHER_BYTES);
            gather = new byte[Frame.bufferSize(capacity)];
        }
        System.arraycopy(frame.buffer(), Protocol.HEADER_LENGTH, gather, Protocol.HEADER_LENGTH + gathered, length);
        gathered += length;
        frame.release();
    }

    /** Queues the gathered bytes as one frame, behind everything queued before them. */
    private void queueGathered() {
        if (gathered > 0) {
            // The socket writer uses only the bytes; the stream id stays with the stream.
            queued.add(new Frame(FrameType.DATA, 0, gather, gathered));
        }
        gather = null;
        gathered = 0;
    }

    /** The oldest frame (gathered bytes count as one), or null when nothing waits. */
    Frame poll() {
        if (queued.isEmpty()) {
            queueGathered();
        }
        return queued.poll();
    }

    boolean isEmpty() {
        return queued.isEmpty() && gathered == 0;
    }

    /** The socket writer ends: nothing waits, and the next frame or FIN must start another. */
    void writerParked() {
        writerParked = true;
    }

    /** Clears the parked writer's mark; true when there was one, and the caller starts a new writer. */
    boolean takeParkedWriter() {
        boolean parked = writerParked;
        writerParked = false;
        return parked;
    }

    /** Drops everything (the stream ended). */
    void clear() {
        queued.clear();
        gather = null;
        gathered = 0;
    }
}
