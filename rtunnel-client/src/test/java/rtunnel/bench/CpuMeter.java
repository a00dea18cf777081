package rtunnel.bench;

import java.io.IOException;

/** CPU time (user + system) a tunnel's server and client sides spend during one measured window. */
final class CpuMeter implements TimedLoad.Observer {

    private final TunnelPair tunnel;
    private final int ticksPerSecond;
    private ProcessStats serverStart;
    private ProcessStats clientStart;
    private ProcessStats serverEnd;
    private ProcessStats clientEnd;

    CpuMeter(TunnelPair tunnel, int ticksPerSecond) {
        this.tunnel = tunnel;
        this.ticksPerSecond = ticksPerSecond;
    }

    @Override
    public void opened() throws IOException {
        serverStart = tunnel.serverStats();
        clientStart = tunnel.clientStats();
    }

    @Override
    public void closed() throws IOException {
        serverEnd = tunnel.serverStats();
        clientEnd = tunnel.clientStats();
    }

    /** The server's CPU seconds in the window, user plus kernel. */
    double serverSeconds() {
        return seconds(serverEnd.cpuTicks() - serverStart.cpuTicks());
    }

    double clientSeconds() {
        return seconds(clientEnd.cpuTicks() - clientStart.cpuTicks());
    }

    /** The server's CPU seconds in the window spent in the kernel. */
    double serverKernelSeconds() {
        return seconds(serverEnd.kernelTicks() - serverStart.kernelTicks());
    }

    double clientKernelSeconds() {
        return seconds(clientEnd.kernelTicks() - clientStart.kernelTicks());
    }

    private double seconds(long ticks) {
        return (double) ticks / ticksPerSecond;
    }
}
