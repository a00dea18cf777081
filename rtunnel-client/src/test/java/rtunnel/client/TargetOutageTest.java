package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.EchoTarget;

/**
 * Through the launchers: a target that refuses connections is reported once, not once per visitor, at the
 * default log level, and once more when it works again.
 */
@Timeout(120)
class TargetOutageTest {

    private static final String LISTENING = "rtunnel_server: listening for clients on 127.0.0.1:";

    @Test
    void aRefusingTargetIsReportedOnceAndAgainWhenItIsBack() throws Exception {
        int targetPort;
        try (ServerSocket placeholder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A port with nothing listening once this closes: the target is down.
            targetPort = placeholder.getLocalPort();
        }
        try (RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0")) {
            String listening = server.awaitLine(LISTENING);
            int controlPort = Integer.parseInt(listening.substring(LISTENING.length()));
            try (RunningProgram client = RunningProgram.start("rtunnel_client", "-c", "127.0.0.1:" + controlPort,
                    "-f", "127.0.0.1:0", "-t", "127.0.0.1:" + targetPort)) {
                String up = client.awaitLine("rtunnel_client: 127.0.0.1:");
                String remote = up.substring("rtunnel_client: ".length(), up.indexOf(" -> "));
                int publicPort = Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1));
                for (int i = 0; i < 3; i++) {
                    assertTurnedAway(publicPort);
                }
                String failing = "rtunnel_client: " + remote + ": target 127.0.0.1:" + targetPort + " fails (";
                client.awaitStderr(failing);
                try (EchoTarget back = new EchoTarget(targetPort)) {
                    assertEchoes(publicPort);
                    client.awaitStderr("rtunnel_client: " + remote + ": target 127.0.0.1:" + targetPort
                            + " works again");
                }
                String stderr = client.stderr();
                assertEquals(stderr.indexOf(failing), stderr.lastIndexOf(failing), "one line for three visitors:\n"
                        + stderr);
                assertEquals(ExitCodes.OK, client.stop(), client.stderr());
            }
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    /** The visitor's connection is closed or reset without a byte: its target refused. */
    private static void assertTurnedAway(int publicPort) throws IOException {
        try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), publicPort)) {
            visitor.setSoTimeout((int) RunningProgram.DEADLINE.toMillis());
            InputStream in = visitor.getInputStream();
            try {
                assertEquals(-1, in.read());
            } catch (SocketException reset) {
                assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            }
        }
    }

    private static void assertEchoes(int publicPort) throws IOException {
        try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), publicPort)) {
            visitor.setSoTimeout((int) RunningProgram.DEADLINE.toMillis());
            visitor.getOutputStream().write(9);
            assertEquals(9, visitor.getInputStream().read());
        }
    }
}
