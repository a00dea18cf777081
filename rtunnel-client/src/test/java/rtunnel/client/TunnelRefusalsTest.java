package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

@Timeout(60)
class TunnelRefusalsTest {

    @Test
    void refusesPortOutsideRangeWithTheReason() throws Exception {
        List<TunnelSpec> wantsPortOne = List.of(new TunnelSpec(new HostPort("127.0.0.1", 1), new HostPort("127.0.0.1", 9)));
        try (RunningTunnel tunnel = RunningTunnel.start(new PortRange(2, 3), wantsPortOne)) {
            RefusedException refused = refusal(tunnel);
            assertEquals(Refusal.PORT_NOT_ALLOWED, refused.refusal());
            assertEquals("server refused port 1: outside 2-3", refused.getMessage());
        }
    }

    @Test
    void refusesPortAlreadyTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            List<TunnelSpec> wantsTaken = List.of(new TunnelSpec(new HostPort("127.0.0.1", port), new HostPort("127.0.0.1", 9)));
            try (RunningTunnel tunnel = RunningTunnel.start(PortRange.ALL, wantsTaken)) {
                RefusedException refused = refusal(tunnel);
                assertEquals(Refusal.PORT_IN_USE, refused.refusal());
                assertEquals("server refused port " + port + ": port " + port + " is in use", refused.getMessage());
            }
        }
    }

    @Test
    void aSecondClientCannotTakeAPortTheFirstHolds() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel first = RunningTunnel.start(target.port())) {
            HostPort held = first.nextBound();
            List<TunnelSpec> sameport = List.of(new TunnelSpec(held, new HostPort("127.0.0.1", target.port())));
            try (TunnelClient second = new TunnelClient(RunningTunnel.clientSettings(first.server, sameport),
                    (spec, where) -> { })) {
                RefusedException refused = assertThrows(RefusedException.class, second::run);
                assertEquals(Refusal.PORT_IN_USE, refused.refusal());
            }
            try (Socket visitor = RunningTunnel.visit(held)) {
                visitor.getOutputStream().write(42);
                assertEquals(42, visitor.getInputStream().read(), "the first client keeps its port");
            }
        }
    }

    @Test
    void portZeroPicksAFreePortInsideTheRange() throws Exception {
        int low;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            low = probe.getLocalPort();
        }
        PortRange range = new PortRange(low, Math.min(65535, low + 20));
        try (EchoTarget target = new EchoTarget();
                RunningTunnel tunnel = RunningTunnel.start(range, RunningTunnel.specs(target.port()))) {
            HostPort where = tunnel.nextBound();
            assertTrue(range.allows(where.port()), where + " lies in " + range);
        }
    }

    @Test
    void visitorIsClosedAtOnceWhenTheTargetRefuses() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        try (RunningTunnel tunnel = RunningTunnel.start(closedPort); Socket visitor = RunningTunnel.visit(tunnel.nextBound())) {
            InputStream in = visitor.getInputStream();
            try {
                assertEquals(-1, in.read(), "closed without data");
            } catch (SocketException reset) {
                assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            }
        }
    }

    @Test
    void stoppingTheClientReleasesItsPublicPortsAtOnce() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port(), target.port())) {
            HostPort first = tunnel.nextBound();
            HostPort second = tunnel.nextBound();
            tunnel.client.close();
            tunnel.clientRun.get(10, TimeUnit.SECONDS);
            for (HostPort released : List.of(first, second)) {
                Await.until("port " + released.port() + " released", RunningTunnel.WAIT, () -> refusesConnections(released));
            }
            Await.until("the server forgets the client", RunningTunnel.WAIT, () -> tunnel.server.clients() == 0);
        }
    }

    @Test
    void stoppingTheServerEndsTheClientWithAnError() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            tunnel.nextBound();
            tunnel.server.close();
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> tunnel.clientRun.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, ended.getCause());
        }
    }

    @Test
    void anUnreachableServerIsAnErrorNamingIt() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        ClientSettings settings = new ClientSettings(new HostPort("127.0.0.1", port), RunningTunnel.specs(9),
                RunningTunnel.WAIT).withMaxRetries(0);
        try (TunnelClient client = new TunnelClient(settings, (spec, where) -> { })) {
            IOException failed = assertThrows(IOException.class, client::run);
            assertEquals("cannot reach server 127.0.0.1:" + port + ": Connection refused", failed.getMessage());
        }
    }

    private static boolean refusesConnections(HostPort where) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), where.port())) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static RefusedException refusal(RunningTunnel tunnel) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> tunnel.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(RefusedException.class, failed.getCause());
    }
}
