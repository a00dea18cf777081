package rtunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** The visitor's side of every probe: sockets to a port on 127.0.0.1, none of which can hang for long. */
final class Loopback {

    /** Longer than any pause a loaded 2-core machine makes, short enough that a stuck probe fails soon. */
    static final int TIMEOUT_MILLIS = 10_000;

    private Loopback() {
    }

    /** A connected socket to {@code port}, with Nagle off and a read timeout. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads exactly {@code length} bytes into {@code buffer}; fails on end of stream. */
    static void readFully(InputStream in, byte[] buffer, int length) throws IOException {
        for (int done = 0; done < length; ) {
            int count = in.read(buffer, done, length - done);
            if (count < 0) {
                throw new IOException("connection closed after " + done + " of " + length + " bytes");
            }
            done += count;
        }
    }

    /** One byte out and its echo back: proves a connection reaches the echo target. */
    static void pingPong(Socket socket) throws IOException {
        socket.getOutputStream().write(1);
        try {
            if (socket.getInputStream().read() != 1) {
                throw new IOException("no echo: the connection closed");
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no echo within " + TIMEOUT_MILLIS + " ms", e);
        }
    }
}
