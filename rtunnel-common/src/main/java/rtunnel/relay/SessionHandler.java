package rtunnel.relay;

import java.io.IOException;
import rtunnel.protocol.Frame;

/** The server's or the client's side of a session: handles every frame that is not about stream data. */
@FunctionalInterface
public interface SessionHandler {

    /**
     * Handles LISTEN, LISTEN_OK, LISTEN_REFUSED, OPEN, GOAWAY or ERROR. Runs on the control reader thread,
     * so it must not block on a socket.
     *
     * @throws IOException to end the session (a ProtocolException for frames this side must not receive)
     */
    void onFrame(Frame frame) throws IOException;
}
