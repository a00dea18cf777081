package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.MaxStartups;
import rtunnel.server.ServerLimits;
import rtunnel.server.TunnelServer;
import rtunnel.testing.Await;
import rtunnel.testing.EchoTarget;

/** Each abuse limit holds, and a live tunnel keeps working while it is being tested. */
@Timeout(60)
class LimitsTest {

    private static TunnelServer server(ServerLimits limits) throws IOException {
        return RunningTunnel.startServer(RunningTunnel.openServer(PortRange.ALL).withLimits(limits));
    }

    private static ServerLimits limits(int clients, int pending, int streams, Duration handshake) {
        return new ServerLimits(clients, new MaxStartups(pending, 100, pending), ServerLimits.DEFAULT_PER_SOURCE_MAX_STARTUPS,
                64, streams, handshake);
    }

    @Test
    void aFullServerTurnsClientsAwayWithTheReason() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(limits(1, 10, 100, Duration.ofSeconds(10)));
                RunningTunnel first = new RunningTunnel(server, RunningTunnel.clientSettings(server, RunningTunnel.specs(target.port())))) {
            HostPort live = first.nextBound();
            try (RunningTunnel second = new RunningTunnel(server,
                    RunningTunnel.clientSettings(server, RunningTunnel.specs(target.port())))) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> second.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                RefusedException refused = assertInstanceOf(RefusedException.class, failed.getCause());
                assertEquals(Refusal.LIMIT, refused.refusal());
                assertEquals("server is full (1 clients)", refused.reason());
            }
            ReliabilityTest.assertEchoes(live);
        }
    }

    @Test
    void silentConnectionsAreDroppedAtTheHandshakeDeadlineAndCannotCrowdOutClients() throws Exception {
        try (EchoTarget target = new EchoTarget();
                TunnelServer server = server(limits(1000, 20, 100, Duration.ofMillis(300)));
                RunningTunnel live = new RunningTunnel(server, RunningTunnel.clientSettings(server, RunningTunnel.specs(target.port())))) {
            HostPort port = live.nextBound();
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.controlAddress().getPort());
                    socket.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
                    silent.add(socket);
                }
                ReliabilityTest.assertEchoes(port);
                for (Socket socket : silent) {
                    socket.getInputStream().readAllBytes();
                }
                Await.until("only the live client remains", RunningTunnel.WAIT, () -> server.clients() == 1);
                try (RunningTunnel later = new RunningTunnel(server, RunningTunnel.clientSettings(server,
                        RunningTunnel.specs(target.port())))) {
                    ReliabilityTest.assertEchoes(later.nextBound());
                }
            } finally {
                for (Socket socket : silent) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void visitorsBeyondTheStreamLimitAreResetWhileOthersWork() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(limits(10, 10, 2, Duration.ofSeconds(10)));
                RunningTunnel tunnel = new RunningTunnel(server, RunningTunnel.clientSettings(server, RunningTunnel.specs(target.port())))) {
            HostPort where = tunnel.nextBound();
            try (Socket one = RunningTunnel.visit(where); Socket two = RunningTunnel.visit(where)) {
                one.getOutputStream().write(1);
                two.getOutputStream().write(2);
                assertEquals(1, one.getInputStream().read());
                assertEquals(2, two.getInputStream().read());
                try (Socket three = RunningTunnel.visit(where)) {
                    ReliabilityTest.assertClosedPromptly(three);
                }
                one.getOutputStream().write(4);
                assertEquals(4, one.getInputStream().read(), "the streams within the limit still work");
            }
            // The server counts a stream as ended once its own side has closed, a moment after the target's.
            String noneOpen = "rtunnel_server_streams_open{port=\"" + where.port() + "\"} 0\n";
            Await.until("the two streams ended on the server", RunningTunnel.WAIT,
                    () -> server.metrics().render().contains(noneOpen));
            ReliabilityTest.assertEchoes(where);
        }
    }
}
