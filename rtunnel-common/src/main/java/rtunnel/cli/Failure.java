package rtunnel.cli;

import java.io.IOException;
import java.net.UnknownHostException;
import rtunnel.auth.KeyFileException;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.RefusedException;

/**
 * What a command's runtime failure means to the user: the exit status and the one line to print after the
 * program's name.
 */
public record Failure(int exitCode, String message) {

    /** Classifies {@code failure} by its type; see {@link ExitCodes} for the meaning of each status. */
    public static Failure of(Throwable failure) {
        if (failure instanceof KeyFileException) {
            return new Failure(ExitCodes.USAGE, describe(failure));
        }
        if (failure instanceof RefusedException refused) {
            return new Failure(exitCode(refused), describe(refused));
        }
        if (failure instanceof ProtocolException) {
            return new Failure(ExitCodes.PROTOCOL_MISMATCH, "protocol error: " + describe(failure));
        }
        if (failure instanceof IOException) {
            return new Failure(ExitCodes.UNREACHABLE, describe(failure));
        }
        return new Failure(ExitCodes.INTERNAL, "internal error: " + failure);
    }

    /** The exception's message, or its kind when it has none; unknown hosts say so. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static int exitCode(RefusedException refused) {
        if (refused.refusal().isAboutPort()) {
            return ExitCodes.PORT_REFUSED;
        }
        return switch (refused.refusal()) {
            case AUTHENTICATION -> ExitCodes.AUTH_REFUSED;
            case BAD_REQUEST -> ExitCodes.PROTOCOL_MISMATCH;
            // A full server (LIMIT) is transient, like one that cannot be reached: a supervisor should retry.
            default -> ExitCodes.UNREACHABLE;
        };
    }
}
