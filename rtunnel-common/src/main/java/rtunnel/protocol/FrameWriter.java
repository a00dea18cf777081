package rtunnel.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes frames to a connection, sealing each one in place. Not thread-safe: one thread writes a
 * connection (the relay's writer), because sealing and writing must happen in the same order.
 */
public final class FrameWriter {

    private final OutputStream out;
    private FrameProtection protection = FrameProtection.NONE;

    /** Writes to {@code out}, which should be buffered; call {@link #flush()} to send. */
    public FrameWriter(OutputStream out) {
        this.out = out;
    }

    /** From the next frame on, frames are sealed with {@code protection}. */
    public void protectWith(FrameProtection protection) {
        this.protection = protection;
    }

    /** Sends this side's preamble. */
    public void writePreamble() throws IOException {
        out.write(Protocol.preamble());
    }

    /** Seals and writes one frame (buffered). The frame's buffer is changed: header, tag, maybe ciphertext. */
    public void write(Frame frame) throws IOException {
        frame.writeHeader();
        int sealed = Protocol.HEADER_LENGTH + frame.length();
        protection.seal(frame.buffer(), sealed);
        out.write(frame.buffer(), 0, sealed + protection.tagLength());
    }

    /** Pushes buffered frames to the connection. */
    public void flush() throws IOException {
        out.flush();
    }
}
