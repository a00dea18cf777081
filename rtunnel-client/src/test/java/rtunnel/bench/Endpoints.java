package rtunnel.bench;

/**
 * The ports a probe connects to on 127.0.0.1: the targets themselves (direct), or the server's public
 * ports that lead to them (through the tunnel).
 */
record Endpoints(int sink, int source, int echo, int http) {

    /** The public ports of {@code tunnel} that lead to {@code direct}'s targets. */
    static Endpoints through(TunnelProcesses tunnel, Endpoints direct) {
        return new Endpoints(tunnel.publicPort(direct.sink()), tunnel.publicPort(direct.source()),
                tunnel.publicPort(direct.echo()), tunnel.publicPort(direct.http()));
    }
}
