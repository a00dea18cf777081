package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.FencedBlock;
import rtunnel.cli.RunningProgram;
import rtunnel.testing.EchoTarget;

/**
 * Two server processes behind the real HAProxy, configured as docs/operations.md shows it (with loopback
 * addresses and quicker checks), and one client holding its tunnel on both with --all-servers. Visitors go
 * through HAProxy while one server is killed, comes back, and another is stopped with SIGTERM.
 */
@Timeout(180)
class BalancerEndToEndTest {

    /** How often HAProxy checks each server here, in place of the document's 1 s, to keep the test short. */
    private static final String CHECK_INTERVAL = "200ms";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The servers' drain: well above what HAProxy needs to notice (inter 200 ms x fall 2 + a check timeout). */
    private static final int DRAIN_SECONDS = 3;
    private static final Pattern LISTENING = Pattern.compile("rtunnel_server: listening for clients on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final List<String> failures = new ArrayList<>();
    private int sent;
    private Scenario scenario;

    @Test
    void visitorsThroughHaproxyOutliveAKilledServerItsReturnAndAnotherStopping() throws Exception {
        RunningHaproxy.assumeInstalled();
        run(new Scenario("/health/port/4000", "app_4000", "4000") {
            @Override
            List<String> serverArgs(String address) {
                return List.of("--public-bind", address);
            }

            @Override
            List<String> tunnelArgs() {
                return List.of("-f", Integer.toString(publicPort));
            }

            @Override
            String upLine(EchoTarget target) {
                return "rtunnel_client: 127.0.0.1:" + publicPort + " -> 127.0.0.1:" + target.port() + " (server ";
            }

            @Override
            String request(int number) {
                return "request " + number;
            }

            @Override
            String series() {
                return "port=\"" + publicPort + "\"";
            }

            @Override
            String checkedPath() {
                return "/health/port/" + publicPort;
            }
        });
    }

    /**
     * The same with a host name on the servers' shared HTTP ports: HAProxy checks {@code /health/name/NAME} on
     * each server, as operations.md's second haproxy.cfg does, and visitors send a request head naming it.
     */
    @Test
    void visitorsOfANameThroughHaproxyOutliveAKilledServerItsReturnAndAnotherStopping() throws Exception {
        RunningHaproxy.assumeInstalled();
        run(new Scenario("/health/name/app.example.com", "app_web", "80") {
            @Override
            List<String> serverArgs(String address) {
                return List.of("--http-port", address + ":" + publicPort, "--domain", "example.com");
            }

            @Override
            List<String> tunnelArgs() {
                return List.of("--hostname", "app");
            }

            @Override
            String upLine(EchoTarget target) {
                return "rtunnel_client: http://app.example.com:" + publicPort + " -> 127.0.0.1:" + target.port()
                        + " (server ";
            }

            @Override
            String request(int number) {
                return "GET /" + number + " HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n";
            }

            @Override
            String series() {
                return "name=\"app.example.com\"";
            }
        });
    }

    /**
     * What differs between a port and a name: the documented haproxy.cfg (found by its health path, with its
     * backend name and the public port it fronts), the servers' and the client's arguments, the client's up
     * line, what a visitor sends (an echo target returns it) and the label of the servers' stream counter.
     */
    private abstract static class Scenario {
        final String healthPath;
        final String backend;
        final String documentedPort;
        /** The public port (or HTTP port) each server listens on, on its own address. */
        int publicPort;

        Scenario(String healthPath, String backend, String documentedPort) {
            this.healthPath = healthPath;
            this.backend = backend;
            this.documentedPort = documentedPort;
        }

        abstract List<String> serverArgs(String address);

        abstract List<String> tunnelArgs();

        abstract String upLine(EchoTarget target);

        abstract String request(int number);

        abstract String series();

        /** The health path HAProxy asks for here, in place of the document's. */
        String checkedPath() {
            return healthPath;
        }
    }

    private void run(Scenario scenario) throws Exception {
        int[] ports = RunningHaproxy.freePorts(3);
        scenario.publicPort = ports[0];
        int metricsPort = ports[1];
        int front = ports[2];
        this.scenario = scenario;
        try (EchoTarget target = new EchoTarget()) {
            Server a = new Server("127.0.0.2", 0, metricsPort);
            Server b = new Server("127.0.0.3", 0, metricsPort);
            List<String> clientArgs = new ArrayList<>(List.of("--all-servers", "-c", "127.0.0.1:" + a.control,
                    "-c", "127.0.0.1:" + b.control));
            clientArgs.addAll(scenario.tunnelArgs());
            clientArgs.addAll(List.of("-t", "127.0.0.1:" + target.port(), "--max-backoff", "1"));
            try (RunningProgram client = RunningProgram.start("rtunnel_client", clientArgs.toArray(String[]::new))) {
                String up = scenario.upLine(target);
                List<String> ups = List.of(client.awaitLine(up), client.awaitLine(up));
                assertTrue(ups.contains(up + "127.0.0.1:" + a.control + ")") && ups.contains(up + "127.0.0.1:"
                        + b.control + ")"), ups.toString());
                String down = "Server " + scenario.backend + "/";
                try (RunningHaproxy haproxy = RunningHaproxy.start(dir, config(scenario, metricsPort, front), front,
                        WAIT)) {
                    for (int i = 0; i < 1_000; i++) {
                        request(front);
                    }
                    assertEquals(List.of(), failures, "1,000 requests through HAProxy");
                    assertTrue(a.streams() > 0 && b.streams() > 0, "HAProxy used both servers");

                    long killed = System.nanoTime();
                    int beforeKill = sent;
                    // Visitors in flight as a server dies are lost with it; the ones after are the test's.
                    a.program.kill();
                    requestUntil(front, () -> haproxy.output().contains(down + "a is DOWN"));
                    System.out.printf("HAProxy noticed the killed server after %d ms; %d requests meanwhile%n",
                            (System.nanoTime() - killed) / 1_000_000, sent - beforeKill);
                    assertEquals(List.of(), failures, "requests before HAProxy noticed (option redispatch)");
                    for (int i = 0; i < 200; i++) {
                        request(front);
                    }
                    assertEquals(List.of(), failures, "requests while one server is dead");

                    long restarted = System.nanoTime();
                    a = new Server("127.0.0.2", a.control, metricsPort);
                    client.awaitLine(up + "127.0.0.1:" + a.control + ")");
                    haproxy.awaitOutput(down + "a is UP", WAIT);
                    System.out.printf("the restarted server was back in HAProxy after %d ms%n",
                            (System.nanoTime() - restarted) / 1_000_000);
                    for (int i = 0; i < 200; i++) {
                        request(front);
                    }
                    assertEquals(List.of(), failures, "requests once the server is back");
                    assertTrue(a.streams() > 0, "HAProxy sends visitors to the restarted server again");

                    long stopped = System.nanoTime();
                    Server stopping = b;
                    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(stopping::stop);
                    int before = sent;
                    requestUntil(front, exit::isDone);
                    System.out.printf("the SIGTERM'd server drained in %d ms, %d requests meanwhile%n",
                            (System.nanoTime() - stopped) / 1_000_000, sent - before);
                    assertEquals(ExitCodes.OK, exit.get(), b.program.stderr());
                    assertEquals(List.of(), failures, "requests while a server drains");
                    assertTrue(haproxy.output().contains(down + "b is DOWN"), haproxy.output());
                    assertTrue(sent - before > 10, "visitors kept coming during the drain");
                } finally {
                    a.program.close();
                    b.program.close();
                }
            }
        }
    }

    /** The document's haproxy.cfg for two servers that checks {@code healthPath}, moved onto loopback and this test's ports. */
    private static String config(Scenario scenario, int metricsPort, int front) {
        String documented = FencedBlock.in("docs/operations.md").stream()
                .filter(block -> block.info().equals("haproxy") && block.text().contains(scenario.healthPath))
                .findFirst().orElseThrow(() -> new AssertionError("operations.md shows no haproxy.cfg checking "
                        + scenario.healthPath))
                .text();
        String bind = "bind :" + scenario.documentedPort;
        assertTrue(documented.contains("inter 1s") && documented.contains(bind), documented);
        return documented.replace(bind, "bind 127.0.0.1:FRONT")
                .replaceAll("(10\\.0\\.0\\.1[12]):" + scenario.documentedPort + "\\b", "$1:" + scenario.publicPort)
                .replace("GET " + scenario.healthPath, "GET " + scenario.checkedPath())
                .replaceAll("\\b19051\\b", Integer.toString(metricsPort))
                .replace("10.0.0.11", "127.0.0.2").replace("10.0.0.12", "127.0.0.3")
                .replace("inter 1s", "inter " + CHECK_INTERVAL)
                .replace("FRONT", Integer.toString(front));
    }

    /** One visitor through HAProxy: its bytes must come back; a failure is recorded, not thrown. */
    private void request(int front) {
        sent++;
        String text = scenario.request(sent);
        try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), front)) {
            visitor.setSoTimeout((int) WAIT.toMillis());
            visitor.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            visitor.shutdownOutput();
            String echoed = new String(visitor.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!echoed.equals(text)) {
                failures.add(text + ": got '" + echoed + "'");
            }
        } catch (IOException e) {
            failures.add(text + ": " + e);
        }
    }

    /** Sends requests one after another until {@code done}; fails after the deadline. */
    private void requestUntil(int front, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out after " + WAIT);
            request(front);
        }
    }

    /** An rtunnel_server process whose public ports and metrics are on {@code address}. */
    private final class Server {
        final RunningProgram program;
        final String address;
        final int control;
        final int metricsPort;

        Server(String address, int control, int metricsPort) throws Exception {
            this.address = address;
            this.metricsPort = metricsPort;
            List<String> args = new ArrayList<>(List.of("-c", "127.0.0.1:" + control, "--metrics",
                    address + ":" + metricsPort, "--drain", Integer.toString(DRAIN_SECONDS), "--host-key",
                    dir.resolve("host_key").toString()));
            args.addAll(scenario.serverArgs(address));
            this.program = RunningProgram.start("rtunnel_server", args.toArray(String[]::new));
            Matcher listening = LISTENING.matcher(program.awaitLine("rtunnel_server: listening for clients on "));
            assertTrue(listening.find());
            this.control = Integer.parseInt(listening.group(1));
        }

        /** Visitors this server relayed for the scenario's port or name, from its metrics. */
        long streams() throws IOException {
            HttpURLConnection http = (HttpURLConnection) new URL("http://" + address + ":" + metricsPort + "/metrics")
                    .openConnection();
            http.setConnectTimeout(5_000);
            http.setReadTimeout(5_000);
            try (InputStream in = http.getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Matcher count = Pattern.compile("rtunnel_server_streams_total\\{" + Pattern.quote(scenario.series()) + "} (\\d+)")
                        .matcher(text);
                return count.find() ? Long.parseLong(count.group(1)) : 0;
            }
        }

        /** SIGTERM, and the exit status. */
        int stop() {
            try {
                return program.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the server stopped", e);
            }
        }
    }
}
