package rtunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk transfer over one or more parallel connections in one direction: upload (the visitor writes, the
 * target discards) or download (the target writes, the visitor discards).
 */
final class ThroughputProbe {

    /** One write or read: large enough that system calls cost little, as in any bulk copy. */
    static final int CHUNK = 64 * 1024;

    enum Direction {
        UPLOAD, DOWNLOAD
    }

    /** Bytes each stream moved during the window. */
    record Result(long[] bytesPerStream, double seconds) {

        long bytes() {
            long sum = 0;
            for (long b : bytesPerStream) {
                sum += b;
            }
            return sum;
        }

        double gbps() {
            return bytes() * 8 / seconds / 1e9;
        }

        double slowestGbps() {
            long min = Long.MAX_VALUE;
            for (long b : bytesPerStream) {
                min = Math.min(min, b);
            }
            return min * 8 / seconds / 1e9;
        }

        double meanGbps() {
            return gbps() / bytesPerStream.length;
        }
    }

    private ThroughputProbe() {
    }

    /** The sink's handler: reads and discards until the visitor closes. */
    static void discard(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[CHUNK];
        while (in.read(buffer) >= 0) {
            // Discard: only the visitor's count matters.
        }
    }

    /** The source's handler: writes until the visitor goes away. */
    static void pour(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[CHUNK];
        while (true) {
            out.write(chunk);
        }
    }

    /** Moves bytes over {@code streams} connections to {@code port}: the sink's for upload, the source's for download. */
    static Result run(int port, int streams, Direction direction, Duration warmup, Duration window,
            TimedLoad.Observer observer) throws IOException, InterruptedException {
        List<Socket> sockets = new ArrayList<>();
        try {
            List<TimedLoad.Step> steps = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                Socket socket = Loopback.connect(port);
                sockets.add(socket);
                steps.add(direction == Direction.UPLOAD ? writer(socket) : reader(socket));
            }
            TimedLoad.Counts counts = TimedLoad.run(direction.name().toLowerCase() + "-" + streams, steps, sockets,
                    warmup, window, observer);
            return new Result(counts.perWorker(), counts.seconds());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static TimedLoad.Step writer(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[CHUNK];
        return () -> {
            out.write(chunk);
            return chunk.length;
        };
    }

    private static TimedLoad.Step reader(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[CHUNK];
        return () -> {
            int count = in.read(buffer);
            if (count < 0) {
                throw new IOException("the source closed the connection");
            }
            return count;
        };
    }
}
