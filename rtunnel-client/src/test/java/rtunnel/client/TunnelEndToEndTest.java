package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rtunnel.protocol.HostPort;
import rtunnel.testing.EchoTarget;

@Timeout(60)
class TunnelEndToEndTest {

    @Test
    void bytesCrossBothWays() throws Exception {
        try (EchoTarget target = new EchoTarget(); RunningTunnel tunnel = RunningTunnel.start(target.port())) {
            HostPort where = tunnel.nextBound();
            try (Socket visitor = RunningTunnel.visit(where)) {
                OutputStream out = visitor.getOutputStream();
                InputStream in = visitor.getInputStream();
                byte[] hello = "hello through the tunnel\n".getBytes(StandardCharsets.UTF_8);
                out.write(hello);
                assertArrayEquals(hello, in.readNBytes(hello.length));
                visitor.shutdownOutput();
                assertEquals(-1, in.read(), "the target's half-close reaches the visitor");
            }
        }
    }
}
