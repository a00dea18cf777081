package rtunnel.bench;

/**
 * The ports a probe connects to on 127.0.0.1: the targets themselves (direct), or the public ports of a
 * tunnel that lead to them. {@code iperf3} and {@code nginx} are 0 when those targets are not running.
 */
record Endpoints(int sink, int source, int echo, int http, int iperf3, int nginx) {

    /** The public ports of {@code tunnel} that lead to {@code direct}'s targets. */
    static Endpoints through(TunnelPair tunnel, Endpoints direct) {
        return new Endpoints(tunnel.publicPort(direct.sink()), tunnel.publicPort(direct.source()),
                tunnel.publicPort(direct.echo()), tunnel.publicPort(direct.http()), through(tunnel, direct.iperf3()),
                through(tunnel, direct.nginx()));
    }

    private static int through(TunnelPair tunnel, int target) {
        return target == 0 ? 0 : tunnel.publicPort(target);
    }
}
