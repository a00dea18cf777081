package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.policy.PortRange;
import rtunnel.protocol.HostPort;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;
import rtunnel.server.ServerSettings;
import rtunnel.server.TunnelServer;
import rtunnel.testing.EchoTarget;

/** The control listener and the public listeners bind where the operator says, over IPv4 and IPv6. */
@Timeout(60)
class BindAddressTest {

    private static final InetAddress IPV4 = InetAddress.getLoopbackAddress();

    private static InetAddress ipv6() throws IOException {
        return InetAddress.getByName("::1");
    }

    private static TunnelServer server(InetAddress control, List<InetAddress> publicBind) throws IOException {
        ServerSettings open = RunningTunnel.openServer(PortRange.ALL);
        return RunningTunnel.startServer(new ServerSettings(new InetSocketAddress(control, 0), open.ports(),
                open.keepAlive(), null, open.hostKey(), open.limits(), open.protections(), publicBind));
    }

    private static ClientSettings client(String controlHost, TunnelServer server, String remoteHost, int target) {
        return new ClientSettings(new HostPort(controlHost, server.controlAddress().getPort()),
                List.of(new TunnelSpec(new HostPort(remoteHost, 0), new HostPort("127.0.0.1", target))),
                RunningTunnel.WAIT).withMaxRetries(0);
    }

    private static void assertEchoes(InetAddress address, int port) throws IOException {
        try (Socket visitor = new Socket(address, port)) {
            visitor.setSoTimeout((int) RunningTunnel.WAIT.toMillis());
            visitor.getOutputStream().write(9);
            assertEquals(9, visitor.getInputStream().read());
        }
    }

    @Test
    void aClientAskingForAllInterfacesGetsThePublicBindAddress() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(IPV4, List.of(IPV4));
                RunningTunnel tunnel = new RunningTunnel(server, client("127.0.0.1", server, "", target.port()))) {
            HostPort bound = tunnel.nextBound();
            assertEquals("127.0.0.1", bound.host());
            assertEchoes(IPV4, bound.port());
        }
    }

    @Test
    void aClientAskingForAnotherAddressIsRefused() throws Exception {
        try (TunnelServer server = server(IPV4, List.of(IPV4));
                RunningTunnel tunnel = new RunningTunnel(server, client("127.0.0.1", server, "::1", 9))) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> tunnel.clientRun.get(RunningTunnel.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            RefusedException refused = assertInstanceOf(RefusedException.class, failed.getCause());
            assertEquals(Refusal.ADDRESS_UNAVAILABLE, refused.refusal());
            assertEquals("server refused port 0: this server lets clients listen only on 127.0.0.1", refused.getMessage());
        }
    }

    @Test
    void controlAndPublicPortsWorkOverIpv6() throws Exception {
        try (EchoTarget target = new EchoTarget(); TunnelServer server = server(ipv6(), List.of(ipv6()));
                RunningTunnel tunnel = new RunningTunnel(server, client("::1", server, "::1", target.port()))) {
            HostPort bound = tunnel.nextBound();
            assertEquals("::1", bound.host());
            assertEchoes(ipv6(), bound.port());
        }
    }
}
