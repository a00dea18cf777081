package rtunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/** Round-trip time of a one-byte ping-pong on one connection to the echo target. */
final class LatencyProbe {

    /** Round-trip percentiles, in microseconds. */
    record Result(double p50Micros, double p99Micros) {
    }

    private LatencyProbe() {
    }

    /** {@code warmup} unmeasured round trips, then {@code count} measured ones. */
    static Result run(int echoPort, int warmup, int count) throws IOException {
        try (Socket socket = Loopback.connect(echoPort)) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < warmup; i++) {
                roundTrip(in, out);
            }
            long[] nanos = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                roundTrip(in, out);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            return new Result(percentile(nanos, 50) / 1e3, percentile(nanos, 99) / 1e3);
        }
    }

    private static void roundTrip(InputStream in, OutputStream out) throws IOException {
        out.write(1);
        if (in.read() < 0) {
            throw new IOException("the echo target closed the connection");
        }
    }

    /** The nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
