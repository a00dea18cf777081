package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

class FailureTest {

    @Test
    void aRefusedPortExitsWithFiveAndTheServersWords() {
        Failure failure = Failure.of(new RefusedException(Refusal.PORT_NOT_ALLOWED, "server refused port 5000",
                "outside 3000-3999"));

        assertEquals(new Failure(ExitCodes.PORT_REFUSED, "server refused port 5000: outside 3000-3999"), failure);
    }

    @Test
    void everyRefusalAboutAPortExitsWithFive() {
        for (Refusal refusal : Refusal.values()) {
            if (refusal.isAboutPort()) {
                assertEquals(ExitCodes.PORT_REFUSED, Failure.of(new RefusedException(refusal, "m", "r")).exitCode());
            }
        }
    }

    @Test
    void aRefusedKeyExitsWithFour() {
        Failure failure = Failure.of(new RefusedException(Refusal.AUTHENTICATION, "server refused the key",
                "not in authorized_keys"));

        assertEquals(new Failure(ExitCodes.AUTH_REFUSED, "server refused the key: not in authorized_keys"), failure);
    }

    @Test
    void aBadRequestIsAProtocolMismatch() {
        assertEquals(ExitCodes.PROTOCOL_MISMATCH,
                Failure.of(new RefusedException(Refusal.BAD_REQUEST, "m", "r")).exitCode());
    }

    @Test
    void aFullServerIsTransientLikeAnUnreachableOne() {
        assertEquals(ExitCodes.UNREACHABLE, Failure.of(new RefusedException(Refusal.LIMIT, "m", "r")).exitCode());
    }

    @Test
    void aProtocolErrorExitsWithSix() {
        assertEquals(new Failure(ExitCodes.PROTOCOL_MISMATCH, "protocol error: frame length 16777216 exceeds 65536"),
                Failure.of(new ProtocolException("frame length 16777216 exceeds 65536")));
    }

    @Test
    void otherInputOutputFailuresExitWithThree() {
        assertEquals(new Failure(ExitCodes.UNREACHABLE, "connection lost"),
                Failure.of(new IOException("connection lost")));
        assertEquals(new Failure(ExitCodes.UNREACHABLE, "BindException"), Failure.of(new BindException()));
    }

    @Test
    void anUnknownHostSaysSo() {
        assertEquals("unknown host nosuch.invalid", Failure.describe(new UnknownHostException("nosuch.invalid")));
    }

    @Test
    void aBugExitsWithOneAndNamesTheException() {
        assertEquals(new Failure(ExitCodes.INTERNAL, "internal error: java.lang.IllegalStateException: oops"),
                Failure.of(new IllegalStateException("oops")));
    }
}
