package rtunnel.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;

/**
 * The far end of an in-memory connection, played turn by turn on the test's own thread: once the side under
 * test has read all the peer said so far, the next turn decides what to say, given everything the side under
 * test has written. A turn that answers null, or the last turn's end, is the end of the stream. Not
 * thread-safe.
 */
final class ScriptedPeer extends InputStream {

    /** One turn of the peer: its next bytes, or null to hang up. */
    @FunctionalInterface
    interface Turn {
        byte[] answer(byte[] heard) throws IOException;
    }

    private final ByteArrayOutputStream heard = new ByteArrayOutputStream();
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final Iterator<Turn> turns;
    private byte[] pending = new byte[0];
    private int position;

    ScriptedPeer(List<Turn> turns) {
        this.turns = turns.iterator();
    }

    /** Where the side under test writes. */
    OutputStream towardsPeer() {
        return heard;
    }

    /** Everything the peer said: replayed as one input, it plays the same handshake against a deterministic side. */
    byte[] said() {
        return said.toByteArray();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        while (position == pending.length) {
            byte[] next = turns.hasNext() ? turns.next().answer(heard.toByteArray()) : null;
            if (next == null) {
                return -1;
            }
            said.writeBytes(next);
            pending = next;
            position = 0;
        }
        int count = Math.min(length, pending.length - position);
        System.arraycopy(pending, position, into, offset, count);
        position += count;
        return count;
    }
}
