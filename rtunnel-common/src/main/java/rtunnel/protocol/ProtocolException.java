package rtunnel.protocol;

import java.io.IOException;

/** The peer sent bytes this protocol does not allow; the message names the offending value. */
public final class ProtocolException extends IOException {

    public ProtocolException(String message) {
        super(message);
    }
}
