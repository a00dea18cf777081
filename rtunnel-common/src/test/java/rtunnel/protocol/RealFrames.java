package rtunnel.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One frame of every type, made by the real encoders with realistic fields: the seed corpus of the fuzz
 * tests, so the fuzzer starts from real traffic instead of discovering the layout byte by byte.
 */
public final class RealFrames {

    /** Larger than the reader's carry buffer, so a seed takes the path that reads a frame into its own buffer. */
    static final int BULK_DATA = FrameReader.CARRY_BYTES + 4_000;

    private RealFrames() {
    }

    /** Fresh frames (a writer changes a frame's buffer), every type at least once. */
    public static List<Frame> all() {
        byte[] hostKey = ed25519Blob();
        return List.of(
                new ClientHello(filled(32, 0x11), filled(32, 0x22), List.of("aes256-gcm", "hmac-sha256")).toFrame(),
                new ServerHello(filled(32, 0x44), filled(32, 0x55), "aes256-gcm", true, hostKey, filled(83, 0x66))
                        .toFrame(),
                new AuthRequest(filled(AuthRequest.TOKEN_LENGTH, 0x33), hostKey, filled(83, 0x77)).toFrame(),
                AuthRequest.anonymous(filled(AuthRequest.TOKEN_LENGTH, 0x33)).toFrame(),
                Frame.empty(FrameType.AUTH_OK, 0),
                new ListenRequest(1, new HostPort("", 4000)).toFrame(),
                new ListenRequest(2, new HostPort("::1", 0)).toFrame(),
                new ListenAccepted(1, new HostPort("0.0.0.0", 4000)).toFrame(),
                new ListenRefused(1, Refusal.PORT_NOT_ALLOWED, "outside 4000-5000").toFrame(),
                new StreamOpen(1, 1, new InetSocketAddress(address(203, 0, 113, 5), 51234)).toFrame(),
                new StreamOpen(2, 1, new InetSocketAddress(address(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
                        443)).toFrame(),
                Frame.of(FrameType.DATA, 1, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Frame.of(FrameType.DATA, 2, filled(BULK_DATA, 'x')),
                new WindowUpdate(1, 262144).toFrame(),
                Frame.empty(FrameType.FIN, 1),
                new StreamReset(2, "cannot connect to 127.0.0.1:8080: Connection refused").toFrame(),
                Frame.of(FrameType.PING, 0, new byte[] {0, 0, 0, 0, 0, 0, 0, 1}),
                Frame.of(FrameType.PONG, 0, new byte[] {0, 0, 0, 0, 0, 0, 0, 1}),
                Frame.empty(FrameType.GOAWAY, 0),
                new SessionError(Refusal.LIMIT, "server is full (1000 clients)").toFrame(),
                new SessionError(null, "frame 7 failed its integrity check").toFrame());
    }

    /** The bytes a writer without protection sends for {@code frames}, after the preamble. */
    public static byte[] wire(List<Frame> frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes);
        try {
            writer.writePreamble();
            for (Frame frame : frames) {
                writer.write(frame);
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code count} bytes of {@code value}. */
    public static byte[] filled(int count, int value) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** The key blob of the ssh-keygen fixture {@code keys/ed25519.pub}: what SERVER_HELLO and AUTH carry. */
    private static byte[] ed25519Blob() {
        try (InputStream in = RealFrames.class.getResourceAsStream("/keys/ed25519.pub")) {
            String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return Base64.getDecoder().decode(line.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress address(int... octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
