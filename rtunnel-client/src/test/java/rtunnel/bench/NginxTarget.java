package rtunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx on 127.0.0.1 serving one 1 KiB file, the target of the wrk probes, from a temporary directory of its
 * own (configuration, document root, pid file), removed on close. It runs with its usual master and one
 * worker per core, and logs errors only, to its stderr.
 */
final class NginxTarget implements AutoCloseable {

    /** The file wrk fetches, and its size: a small API response or page fragment. */
    static final String PATH = "/1k.bin";

    static final int BODY_LENGTH = 1024;

    /** nginx starts in milliseconds; this allows for a loaded machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final ChildPrograms programs;
    private final ChildProgram program;
    private final Path directory;
    private final int port;

    private NginxTarget(ChildPrograms programs, ChildProgram program, Path directory, int port) {
        this.programs = programs;
        this.program = program;
        this.directory = directory;
        this.port = port;
    }

    static NginxTarget start(ChildPrograms programs, InstalledTools tools) throws IOException, InterruptedException {
        // World-readable: nginx's workers run as an unprivileged user when the master runs as root.
        Path directory = programs.temporaryDirectory("rtunnel-bench-nginx-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Files.createDirectories(directory.resolve("www"));
            Files.createDirectories(directory.resolve("tmp"));
            Files.write(directory.resolve("www" + PATH), "x".repeat(BODY_LENGTH).getBytes(StandardCharsets.US_ASCII));
            return UnusedPort.startWithRetries("nginx", port -> start(programs, tools, directory, port));
        } catch (IOException | InterruptedException | RuntimeException e) {
            programs.delete(directory);
            throw e;
        }
    }

    private static NginxTarget start(ChildPrograms programs, InstalledTools tools, Path directory, int port)
            throws IOException, InterruptedException {
        Path configuration = directory.resolve("nginx.conf");
        Files.writeString(configuration, configuration(directory, port));
        List<String> command = new ArrayList<>();
        if (tools.root() && tools.unshare() != null) {
            // nginx's workers outlive a killed master; as PID 1 of a namespace of its own, the master takes them
            // along, and --kill-child kills it when unshare dies (by setpriv's death signal, say).
            command.addAll(List.of(tools.unshare().toString(), "--pid", "--fork", "--kill-child"));
        }
        command.addAll(List.of(tools.nginx().toString(), "-p", directory.toString(), "-c", configuration.toString(),
                "-e", "stderr"));
        ChildProgram program = programs.start("nginx", command);
        try {
            program.awaitConnectable(port, START_TIMEOUT);
            checkServes(port);
            return new NginxTarget(programs, program, directory, port);
        } catch (IOException | InterruptedException | RuntimeException e) {
            programs.stop(program);
            throw e;
        }
    }

    private static String configuration(Path directory, int port) {
        String temporary = directory.resolve("tmp").toString();
        return String.join("\n",
                "daemon off;",
                "worker_processes auto;",
                "pid " + directory.resolve("nginx.pid") + ";",
                "error_log stderr warn;",
                "events { worker_connections 4096; }",
                "http {",
                "    access_log off;",
                "    default_type application/octet-stream;",
                "    sendfile on;",
                "    tcp_nodelay on;",
                // wrk's keep-alive connections stay open for the whole window, as a browser's would.
                "    keepalive_requests 1000000;",
                "    keepalive_timeout 120s;",
                "    client_body_temp_path " + temporary + "/body;",
                "    proxy_temp_path " + temporary + "/proxy;",
                "    fastcgi_temp_path " + temporary + "/fastcgi;",
                "    uwsgi_temp_path " + temporary + "/uwsgi;",
                "    scgi_temp_path " + temporary + "/scgi;",
                "    server {",
                "        listen 127.0.0.1:" + port + ";",
                "        root " + directory.resolve("www") + ";",
                "    }",
                "}", "");
    }

    /** Fetches the file once: proves that what listens on {@code port} is this nginx, not a bind race's winner. */
    private static void checkServes(int port) throws IOException {
        try (Socket socket = Loopback.connect(port)) {
            socket.getOutputStream().write(("GET " + PATH + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 200") || !response.contains("Server: nginx")
                    || !response.endsWith("x".repeat(BODY_LENGTH))) {
                throw new IOException("port " + port + " did not serve " + PATH + " as nginx: "
                        + response.lines().findFirst().orElse("(nothing)"));
            }
        }
    }

    int port() {
        return port;
    }

    /** Its figures (nginx's with its workers). */
    ProcessStats stats() throws IOException {
        return TunnelProcesses.stats(program);
    }

    @Override
    public void close() throws IOException {
        try {
            programs.stop(program);
        } finally {
            programs.delete(directory);
        }
    }
}
