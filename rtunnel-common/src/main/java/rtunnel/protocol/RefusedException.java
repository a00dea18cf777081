package rtunnel.protocol;

import java.io.IOException;

/** The server refused a request; {@link #reason()} is the human reason it gave. */
public final class RefusedException extends IOException {

    private final Refusal refusal;
    private final String reason;

    public RefusedException(Refusal refusal, String message, String reason) {
        super(message + ": " + reason);
        this.refusal = refusal;
        this.reason = reason;
    }

    public Refusal refusal() {
        return refusal;
    }

    public String reason() {
        return reason;
    }
}
