package rtunnel.server;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A visitor's socket whose input starts again with the bytes the server already read from it (a request
 * head, a ClientHello), so the tunnel relays the connection unchanged. Only what a stream uses is passed on;
 * this object's own (unconnected) socket is never opened.
 */
final class ReplayingSocket extends Socket {

    private final Socket visitor;
    private final InputStream input;

    ReplayingSocket(Socket visitor, byte[] read, int length) throws IOException {
        this.visitor = visitor;
        this.input = new SequenceInputStream(new ByteArrayInputStream(read, 0, length),
                new LeftOpen(visitor.getInputStream()));
    }

    /**
     * The visitor's input as SequenceInputStream gets it. SequenceInputStream closes each stream it comes to
     * the end of, and closing a socket's input stream closes the socket: a visitor that half-closes after its
     * request (HAProxy, {@code curl -T}, scripts) would never get its answer. The socket is closed as a whole
     * by the stream instead ({@link #close}).
     */
    private static final class LeftOpen extends FilterInputStream {
        LeftOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // Deliberately nothing: see the class comment.
        }
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return visitor.getOutputStream();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return visitor.getRemoteSocketAddress();
    }

    @Override
    public void shutdownOutput() throws IOException {
        visitor.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        visitor.shutdownInput();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        visitor.setSoLinger(on, linger);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        visitor.setTcpNoDelay(on);
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        visitor.setSoTimeout(timeout);
    }

    @Override
    public boolean isClosed() {
        return visitor.isClosed();
    }

    @Override
    public synchronized void close() throws IOException {
        visitor.close();
    }
}
