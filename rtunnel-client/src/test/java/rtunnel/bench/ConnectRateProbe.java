package rtunnel.bench;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** New connections per second: connect, send one byte, read its echo, close; a few workers in parallel. */
final class ConnectRateProbe {

    /** A few workers keep both cores busy without the backlog, rather than the relay, setting the pace. */
    static final int WORKERS = 4;

    private ConnectRateProbe() {
    }

    /** Connections completed per second during the window. */
    static double run(int echoPort, Duration warmup, Duration window) throws IOException, InterruptedException {
        List<TimedLoad.Step> steps = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            steps.add(() -> {
                try (Socket socket = Loopback.connect(echoPort)) {
                    Loopback.pingPong(socket);
                }
                return 1;
            });
        }
        TimedLoad.Counts counts = TimedLoad.run("connect", steps, List.of(), warmup, window, TimedLoad.NONE);
        return counts.total() / counts.seconds();
    }
}
