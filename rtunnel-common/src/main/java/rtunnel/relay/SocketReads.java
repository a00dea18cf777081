package rtunnel.relay;

import java.io.IOException;
import java.io.InputStream;
import rtunnel.protocol.Frame;
import rtunnel.protocol.FrameBuffers;
import rtunnel.protocol.FrameType;
import rtunnel.protocol.Protocol;

/**
 * Reads one stream's local socket into DATA frames, sized to what it delivers ({@link ReadSize}). Only the
 * stream's socket reader uses it.
 */
final class SocketReads {

    private final int streamId;
    private final FrameBuffers buffers;
    private final ReadSize readSize = new ReadSize();

    SocketReads(int streamId, FrameBuffers buffers) {
        this.streamId = streamId;
        this.buffers = buffers;
    }

    /** How many bytes the next read should ask for. */
    int nextSize() {
        return readSize.next();
    }

    /**
     * Reads what the socket has, up to {@code want} bytes, into a data frame; null at end of stream. A busy
     * stream reads into a pooled buffer, which the control connection's writer gives back once it is sent.
     * While reads come back small (an idle or interactive connection) it first waits for a single byte and
     * only then sizes the buffer to what has arrived, so an idle stream blocks in read holding no buffer:
     * that is most of the memory of ten thousand idle connections.
     */
    Frame read(InputStream in, int want) throws IOException {
        Frame frame = readSize.isSmall() ? readSmall(in, want) : readPooled(in, want);
        if (frame != null) {
            readSize.record(frame.length(), want);
        }
        return frame;
    }

    private Frame readPooled(InputStream in, int want) throws IOException {
        byte[] buffer = buffers.take();
        int count = in.read(buffer, Protocol.HEADER_LENGTH, want);
        if (count < 0) {
            buffers.give(buffer);
            return null;
        }
        return new Frame(FrameType.DATA, streamId, buffer, count, buffers);
    }

    private Frame readSmall(InputStream in, int want) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int more = Math.min(in.available(), want - 1);
        byte[] buffer = new byte[Frame.bufferSize(1 + more)];
        buffer[Protocol.HEADER_LENGTH] = (byte) first;
        int count = 1;
        if (more > 0) {
            int got = in.read(buffer, Protocol.HEADER_LENGTH + 1, more);
            count += Math.max(got, 0);
        }
        return new Frame(FrameType.DATA, streamId, buffer, count);
    }
}
