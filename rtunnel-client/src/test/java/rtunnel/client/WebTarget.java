package rtunnel.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A web app on 127.0.0.1:0 (the JDK's HttpServer) answering every request with its name and the request's
 * Host, and {@code /headers} with the forwarding headers it got.
 */
final class WebTarget implements AutoCloseable {

    private final HttpServer server;

    WebTarget(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            byte[] body = (name + " " + exchange.getRequestMethod() + " " + exchange.getRequestHeaders()
                    .getFirst("Host") + " " + request.length + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/headers", exchange -> {
            byte[] body = ("X-Forwarded-For: " + exchange.getRequestHeaders().get("X-Forwarded-For") + "\nForwarded: "
                    + exchange.getRequestHeaders().get("Forwarded") + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
