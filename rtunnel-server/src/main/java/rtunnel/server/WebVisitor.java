package rtunnel.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.ProtocolException;
import rtunnel.web.TlsClientHello;
import rtunnel.web.HttpHead;

/**
 * One visitor of a web port: reads its request head or ClientHello within a size and a time limit, then
 * hands the connection, those bytes first, to the tunnel owning the name it asks for.
 */
final class WebVisitor {

    private static final Logger log = LoggerFactory.getLogger(WebVisitor.class);

    /** Request head limit: twice nginx's default large header buffer (8 KiB), far above any browser's head. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    /** ClientHello limit: one full TLS record (16 KiB) and its header; post-quantum hellos need about 2 KiB. */
    static final int MAX_HELLO_BYTES = 16 * 1024 + 5;

    private final Socket visitor;
    private final boolean tls;
    private final NameRegistry names;
    private final long deadlineNanos;
    private final Runnable headDone;

    /**
     * A visitor to read until {@code deadlineNanos} ({@link System#nanoTime}); {@code headDone} runs once, when
     * its head is complete or it is gone.
     */
    WebVisitor(Socket visitor, boolean tls, NameRegistry names, long deadlineNanos, Runnable headDone) {
        this.visitor = visitor;
        this.tls = tls;
        this.names = names;
        this.deadlineNanos = deadlineNanos;
        this.headDone = headDone;
    }

    /** Reads, routes and hands on the visitor, or answers and closes it. */
    void serve() {
        boolean handedOn = false;
        try {
            byte[] buffer = new byte[tls ? MAX_HELLO_BYTES : MAX_HEAD_BYTES];
            int length = 0;
            String name = null;
            InputStream in = visitor.getInputStream();
            while (name == null) {
                if (length == buffer.length) {
                    refuse("431 Request Header Fields Too Large", "request head over " + buffer.length + " bytes");
                    return;
                }
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                visitor.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                int count = in.read(buffer, length, buffer.length - length);
                if (count < 0) {
                    return;
                }
                length += count;
                name = nameIn(buffer, length);
            }
            headDone.run();
            handedOn = route(name, buffer, length);
        } catch (SocketTimeoutException e) {
            log.debug("web visitor {}: head not complete in time", visitor.getRemoteSocketAddress());
            refuseQuietly("408 Request Timeout", "request head not complete in time");
        } catch (ProtocolException e) {
            log.debug("web visitor {}: {}", visitor.getRemoteSocketAddress(), e.getMessage());
            refuseQuietly("400 Bad Request", e.getMessage());
        } catch (IOException e) {
            log.debug("web visitor {}: {}", visitor.getRemoteSocketAddress(), e.getMessage());
        } finally {
            headDone.run();
            if (!handedOn) {
                closeQuietly();
            }
        }
    }

    /** The name asked for once the head is complete; "" for a ClientHello without SNI; null: read more. */
    private String nameIn(byte[] buffer, int length) throws ProtocolException {
        if (tls) {
            String name = TlsClientHello.serverName(buffer, length);
            return name == TlsClientHello.INCOMPLETE ? null : name == null ? "" : name;
        }
        int end = HttpHead.end(buffer, length);
        return end < 0 ? null : HttpHead.host(buffer, end);
    }

    private boolean route(String name, byte[] buffer, int length) throws IOException {
        NameRegistry.Owner owner = names.owner(name);
        if (owner == null) {
            refuse("404 Not Found", "No tunnel is named " + name + " here.");
            return false;
        }
        if (NameRegistry.isAway(owner)) {
            refuse("502 Bad Gateway", "The client of " + name + " is not connected; it may be reconnecting.");
            return false;
        }
        if (!owner.route().takes(tls)) {
            refuse("404 Not Found", name + " is not served over " + (tls ? "HTTPS" : "HTTP") + " here.");
            return false;
        }
        return NameHandOff.handOn(visitor, tls, name, owner, buffer, length);
    }

    private void refuse(String status, String why) throws IOException {
        if (tls) {
            WebAnswers.unrecognizedName(visitor);
        } else {
            WebAnswers.http(visitor, status, why);
        }
    }

    private void refuseQuietly(String status, String why) {
        try {
            refuse(status, why);
        } catch (IOException e) {
            log.debug("web visitor {}: cannot answer {}: {}", visitor.getRemoteSocketAddress(), status, e.getMessage());
        }
    }

    private void closeQuietly() {
        try {
            visitor.close();
        } catch (IOException e) {
            log.debug("web visitor {}: close failed: {}", visitor.getRemoteSocketAddress(), e.getMessage());
        }
    }
}
