package rtunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HTTP-like keep-alive traffic: many connections, each sending a small request and reading a 1 KiB
 * response in a loop. The responder answers every request that ends in a blank line with the same
 * response, so no web server is needed.
 */
final class HttpProbe {

    /** As many connections as a browser-facing service sees from a handful of busy clients. */
    static final int CONNECTIONS = 64;

    static final byte[] REQUEST = ("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: rtunnel-bench\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    static final int BODY_LENGTH = 1024;

    static final byte[] RESPONSE = response();

    private static final byte[] END_OF_REQUEST = {'\r', '\n', '\r', '\n'};

    private HttpProbe() {
    }

    private static byte[] response() {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY_LENGTH + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] response = Arrays.copyOf(head, head.length + BODY_LENGTH);
        Arrays.fill(response, head.length, response.length, (byte) 'x');
        return response;
    }

    /** The responder's handler: one response per request read, until the visitor closes. */
    static void respond(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[4096];
        int matched = 0;
        for (int count = in.read(buffer); count >= 0; count = in.read(buffer)) {
            for (int i = 0; i < count; i++) {
                matched = buffer[i] == END_OF_REQUEST[matched] ? matched + 1 : (buffer[i] == '\r' ? 1 : 0);
                if (matched == END_OF_REQUEST.length) {
                    out.write(RESPONSE);
                    matched = 0;
                }
            }
        }
    }

    /** Requests completed per second over {@link #CONNECTIONS} keep-alive connections to {@code port}. */
    static double run(int port, Duration warmup, Duration window) throws IOException, InterruptedException {
        List<Socket> sockets = new ArrayList<>();
        try {
            List<TimedLoad.Step> steps = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = Loopback.connect(port);
                sockets.add(socket);
                steps.add(requester(socket));
            }
            TimedLoad.Counts counts = TimedLoad.run("http", steps, sockets, warmup, window, TimedLoad.NONE);
            return counts.total() / counts.seconds();
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static TimedLoad.Step requester(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] response = new byte[RESPONSE.length];
        return () -> {
            out.write(REQUEST);
            Loopback.readFully(in, response, response.length);
            if (response[9] != '2') {
                throw new IOException("unexpected response: " + new String(response, 0, 16, StandardCharsets.US_ASCII));
            }
            return 1;
        };
    }
}
