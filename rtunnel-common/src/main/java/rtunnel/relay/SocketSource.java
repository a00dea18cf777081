package rtunnel.relay;

import java.io.IOException;
import java.net.Socket;

/** Supplies a stream's local socket: the visitor already accepted, or a new connection to the target. */
@FunctionalInterface
public interface SocketSource {

    /** The connected socket; called once, on the stream's own thread, so it may block to connect. */
    Socket open() throws IOException;
}
