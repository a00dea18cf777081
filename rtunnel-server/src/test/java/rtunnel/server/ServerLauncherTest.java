package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.cli.DocFiles;
import rtunnel.cli.ExampleCommand;
import rtunnel.cli.ExitCodes;
import rtunnel.cli.RunningProgram;

/** {@code bin/rtunnel_server} as a separate process, the way users and service managers run it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerLauncherTest {

    /** Starts a launcher with variables of its own, as {@code NAME=VALUE program} does in a shell. */
    private static final Path ENV = Path.of("/usr/bin/env");

    private static final String LISTENING = "rtunnel_server: listening for clients on ";

    private static final String SSH_LISTENING = "rtunnel_server: listening for ssh clients on ";

    @Test
    void printsItsRealAddressAndStopsWithZeroOnSigterm() throws Exception {
        try (RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0", "-l", "info")) {
            String line = server.awaitLine(LISTENING);

            String address = line.substring(LISTENING.length());
            assertTrue(address.startsWith("127.0.0.1:"), line);
            int port = Integer.parseInt(address.substring("127.0.0.1:".length()));
            assertTrue(port > 0, line);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertTrue(client.isConnected());
            }
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
    }

    @Test
    void takesItsSettingsFromTheEnvironmentAndLogsAtTheLevelGivenThere() throws Exception {
        String example = "RTUNNEL_CONTROL=127.0.0.1:0 RTUNNEL_LOG_LEVEL=info rtunnel_server";
        List<String> command = ExampleCommand.parse(example)
                .envCommand(RunningProgram.launcher("rtunnel_server").toString());

        try (RunningProgram server = RunningProgram.start(ENV, Path.of(""), command.toArray(String[]::new))) {
            String line = server.awaitLine(LISTENING);

            assertTrue(line.startsWith(LISTENING + "127.0.0.1:"), line);
            // slf4j-simple took the level from RTUNNEL_LOG_LEVEL: it was set before the first logger.
            server.awaitStderr("[INFO] rtunnel.server.TunnelServer - listening for clients on ");
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
        }
        DocFiles.assertScriptingShows(example);
    }

    @Test
    void opensTheSshGatewayFromTheEnvironmentWithoutMinasOwnLogLines() throws Exception {
        String example = "RTUNNEL_SSH_PORT=127.0.0.1:0 RTUNNEL_CONTROL=127.0.0.1:0 RTUNNEL_LOG_LEVEL=info rtunnel_server";
        List<String> command = ExampleCommand.parse(example)
                .envCommand(RunningProgram.launcher("rtunnel_server").toString());

        try (RunningProgram server = RunningProgram.start(ENV, Path.of(""), command.toArray(String[]::new))) {
            server.awaitLine(LISTENING);
            String line = server.awaitLine(SSH_LISTENING);

            int port = Integer.parseInt(line.substring((SSH_LISTENING + "127.0.0.1:").length()));
            try (Socket ssh = new Socket(InetAddress.getLoopbackAddress(), port)) {
                byte[] banner = new byte[8];
                ssh.setSoTimeout(10_000);
                assertEquals(8, ssh.getInputStream().readNBytes(banner, 0, 8));
                assertEquals("SSH-2.0-", new String(banner, java.nio.charset.StandardCharsets.US_ASCII));
            }
            server.awaitStderr("[INFO] rtunnel.server.SshGateway - listening for ssh clients on ");
            assertEquals(ExitCodes.OK, server.stop(), server.stderr());
            assertTrue(!server.stderr().contains("org.apache.sshd"), "MINA logs only with -l debug: " + server.stderr());
        }
    }

    @Test
    void aTakenSshPortExitsWithThreeAndOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RunningProgram server = RunningProgram.start("rtunnel_server", "-c", "127.0.0.1:0",
                        "--ssh-port", "127.0.0.1:" + taken.getLocalPort())) {
            assertEquals(ExitCodes.UNREACHABLE, server.awaitExit());

            String expected = "rtunnel_server: cannot listen for ssh clients on 127.0.0.1:" + taken.getLocalPort() + ": ";
            assertTrue(server.stderr().lines().anyMatch(line -> line.startsWith(expected)), server.stderr());
        }
    }

    @Test
    void aTakenControlAddressExitsWithThreeAndOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RunningProgram server = RunningProgram.start("rtunnel_server",
                        "-c", "127.0.0.1:" + taken.getLocalPort())) {
            assertEquals(ExitCodes.UNREACHABLE, server.awaitExit());

            String expected = "rtunnel_server: cannot listen for clients on 127.0.0.1:" + taken.getLocalPort() + ": ";
            assertTrue(server.stderr().startsWith(expected), server.stderr());
            assertEquals(1, server.stderr().lines().count(), server.stderr());
        }
    }

    @Test
    void aUsageErrorExitsWithTwo() throws Exception {
        try (RunningProgram server = RunningProgram.start("rtunnel_server", "-P", "70000")) {
            assertEquals(ExitCodes.USAGE, server.awaitExit());

            assertEquals("rtunnel_server: Invalid value for option '--highest-listen-port': port 70000 is not "
                    + "between 1 and 65535\nTry 'rtunnel_server --help' for more information.\n", server.stderr());
        }
    }

    @Test
    void givesTheJitHintsForAesGcmAheadOfRtunnelJavaOptsAndNeverGlobsThem(@TempDir Path directory) throws Exception {
        // A java that prints its arguments, one per line: what the launcher passes, exactly.
        Path javaHome = directory.resolve("jdk");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        // A file the hint's '::*' would match if the shell globbed it.
        String ghash = "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.GHASH::";
        Files.createFile(directory.resolve(ghash + "matched,0.1"));

        try (RunningProgram launcher = RunningProgram.start(ENV, directory, "JAVA_HOME=" + javaHome,
                "RTUNNEL_JAVA_OPTS=-Xmx64m", "RTUNNEL_CLASSPATH=classes",
                RunningProgram.launcher("rtunnel_server").toString(), "--version")) {
            List<String> arguments = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                arguments.add(launcher.awaitLine());
            }

            assertEquals(ExitCodes.OK, launcher.awaitExit(), launcher.stderr());
            assertEquals(List.of("-XX:CompileCommand=quiet", ghash + "*,0.1",
                    "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.CounterMode::*,0.1",
                    "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.AESCrypt::*,0.1",
                    "-Xmx64m", "-cp", "classes", "rtunnel.server.ServerMain", "--version"), arguments);
        }
    }

    @Test
    void runsThroughASymlinkFromAnyDirectory(@TempDir Path elsewhere) throws Exception {
        Path link = Files.createSymbolicLink(elsewhere.resolve("tunnel-server"),
                RunningProgram.launcher("rtunnel_server"));

        try (RunningProgram server = RunningProgram.start(link, elsewhere, "--version")) {
            String line = server.awaitLine();

            assertEquals(ExitCodes.OK, server.awaitExit(), server.stderr());
            assertTrue(line.startsWith("rtunnel_server ") && line.contains("(Java "), line);
        }
    }
}
