package rtunnel.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * A server side and a client side, each a running process (or process tree), that forward public ports on
 * 127.0.0.1 to target ports: an rtunnel server and client, or sshd and {@code ssh -R}. What the benchmark
 * measures "through a tunnel", and whose memory and CPU it reads.
 */
interface TunnelPair extends AutoCloseable {

    /** The public port that leads to {@code targetPort}. */
    int publicPort(int targetPort);

    /** The server side's figures: the rtunnel server, or sshd with its session processes. */
    ProcessStats serverStats() throws IOException;

    /** The client side's figures: the rtunnel client, or ssh. */
    ProcessStats clientStats() throws IOException;

    /**
     * Waits up to {@code timeout} for either side to exit; true when one did (a failure the caller reports at
     * once), false when both are still running at the deadline.
     */
    boolean eitherExitedWithin(Duration timeout) throws InterruptedException;

    /** Stops both sides and waits for them to be gone. */
    @Override
    void close();
}
