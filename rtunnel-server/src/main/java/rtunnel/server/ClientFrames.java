package rtunnel.server;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Frame;
import rtunnel.protocol.ListenRequest;
import rtunnel.protocol.NameRequest;
import rtunnel.protocol.ProtocolException;
import rtunnel.protocol.SessionError;
import rtunnel.protocol.VisitorRules;
import rtunnel.relay.SessionHandler;

/** The session frames an authenticated client may send: LISTEN, LISTEN_NAME, VISITOR_RULES, GOAWAY and ERROR. */
final class ClientFrames implements SessionHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientFrames.class);

    private final String client;
    private final ListenRequests listens;
    private final SessionTunnels tunnels;

    ClientFrames(String client, ListenRequests listens, SessionTunnels tunnels) {
        this.client = client;
        this.listens = listens;
        this.tunnels = tunnels;
    }

    @Override
    public void onFrame(Frame frame) throws IOException {
        switch (frame.type()) {
            case LISTEN -> listens.queue(ListenRequest.from(frame));
            case LISTEN_NAME -> listens.queue(NameRequest.from(frame));
            case VISITOR_RULES -> listens.rules(VisitorRules.from(frame));
            case GOAWAY -> {
                log.info("client {}: going away; closing its public ports", client);
                tunnels.stopListening("client going away");
            }
            case ERROR -> throw new IOException("client reported: " + SessionError.from(frame).reason());
            default -> throw new ProtocolException("unexpected " + frame.type() + " from a client");
        }
    }
}
