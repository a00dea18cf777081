package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.HostPort;

/** The order in which the client goes through its servers, and when it waits. */
class ServerRotationTest {

    private static final HostPort A = new HostPort("a.example.com", 19050);
    private static final HostPort B = new HostPort("b.example.com", 19050);
    private static final HostPort C = new HostPort("c.example.com", 19050);

    @Test
    void oneServerWaitsAfterEveryFailure() {
        ServerRotation rotation = new ServerRotation(List.of(A));

        assertTrue(rotation.failed(false));
        assertEquals(A, rotation.current());
        assertTrue(rotation.failed(true));
        assertEquals(A, rotation.current());
    }

    @Test
    void severalServersAreTriedInTurnAndTheWaitComesAfterAWholeRound() {
        ServerRotation rotation = new ServerRotation(List.of(A, B, C));
        assertEquals(A, rotation.current());

        assertFalse(rotation.failed(false));
        assertEquals(B, rotation.current());
        assertFalse(rotation.failed(false));
        assertEquals(C, rotation.current());
        assertTrue(rotation.failed(false));
        assertEquals(A, rotation.current());
        assertFalse(rotation.failed(false));
        assertEquals(B, rotation.current());
    }

    @Test
    void aSessionThatLastedStartsANewRoundFromTheNextServer() {
        ServerRotation rotation = new ServerRotation(List.of(A, B));
        assertFalse(rotation.failed(false));
        assertEquals(B, rotation.current());

        // B worked for a while, then its session ended: A at once, and only then a wait.
        assertFalse(rotation.failed(true));
        assertEquals(A, rotation.current());
        assertTrue(rotation.failed(false));
        assertEquals(B, rotation.current());
    }

    @Test
    void sessionsThatEndAtOnceCountAsFailuresSoTheClientStillWaits() {
        ServerRotation rotation = new ServerRotation(List.of(A, B));

        assertFalse(rotation.failed(false));
        assertTrue(rotation.failed(false));
    }
}
