package rtunnel.server;

import java.net.Socket;
import rtunnel.relay.Multiplexer;
import rtunnel.relay.StreamMeter;

/** A name's visitors as streams over the control connection of the rtunnel client owning it (HTTP and HTTPS). */
record StreamRoute(Multiplexer mux, int tunnelId) implements NameRoute {

    @Override
    public boolean takes(boolean tls) {
        return true;
    }

    @Override
    public void open(Socket visitor, boolean tls, String name, Runnable ended, StreamMeter meter) {
        mux.openStream(tunnelId, visitor, name, ended, meter);
    }
}
