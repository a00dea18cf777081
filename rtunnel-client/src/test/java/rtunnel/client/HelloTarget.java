package rtunnel.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import rtunnel.cli.RunningProgram;

/** A target service on 127.0.0.1:0 that answers "hello\n" to every connection. */
final class HelloTarget implements AutoCloseable {

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Thread acceptor = new Thread(this::answer, "hello-target-" + listener.getLocalPort());

    HelloTarget() throws IOException {
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void answer() {
        while (!listener.isClosed()) {
            try (Socket visitor = listener.accept(); OutputStream out = visitor.getOutputStream()) {
                out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // close() ended accept(), or a visitor left early: the loop ends or moves on.
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(RunningProgram.DEADLINE.toMillis());
        } catch (InterruptedException e) {
            // JUnit's timeout interrupted the test: the acceptor ends with its closed socket anyway.
            Thread.currentThread().interrupt();
        }
    }
}
