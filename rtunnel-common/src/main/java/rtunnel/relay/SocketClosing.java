package rtunnel.relay;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a stream's socket: cleanly once both directions are done, or with a reset when it is aborted. */
final class SocketClosing {

    private static final Logger log = LoggerFactory.getLogger(SocketClosing.class);

    private SocketClosing() {
    }

    /** Closes {@code socket} with a TCP reset, so the other end learns the connection was aborted. */
    static void abruptly(Socket socket) {
        try {
            // A reset, not a FIN: the other end must learn the stream was aborted, not finished.
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            log.debug("cannot set SO_LINGER before reset: {}", e.getMessage());
        }
        close(socket);
    }

    /** Closes {@code socket}; a failure only means it is gone already, so it is logged at debug. */
    static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing {} failed: {}", socket, e.getMessage());
        }
    }
}
