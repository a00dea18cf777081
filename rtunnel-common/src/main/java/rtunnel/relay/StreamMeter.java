package rtunnel.relay;

/** Hears how many bytes a stream moves, for metrics. Called on the stream's threads: must be quick. */
public interface StreamMeter {

    /** A meter that counts nothing. */
    StreamMeter NONE = new StreamMeter() {
        @Override
        public void fromSocket(int bytes) {
            // Nothing to count.
        }

        @Override
        public void toSocket(int bytes) {
            // Nothing to count.
        }
    };

    /** {@code bytes} were read from the local socket (visitor or target) into the tunnel. */
    void fromSocket(int bytes);

    /** {@code bytes} came out of the tunnel and were written to the local socket. */
    void toSocket(int bytes);
}
