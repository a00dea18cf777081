package rtunnel.auth;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.PeerText;
import rtunnel.protocol.ProtocolException;

/**
 * A client of a running ssh-agent (draft-miller-ssh-agent) on its Unix socket, usually {@code SSH_AUTH_SOCK}.
 * Each message on the socket is framed as:
 * <pre>
 *   uint32 length | byte type | payload (length - 1 bytes)
 * </pre>
 * Every request opens its own connection, asks, reads one answer and closes, so an instance holds no
 * connection and is safe to share between threads. Reads block without a timeout, as OpenSSH's own
 * client does: an agent may wait for its user to confirm a signature ({@code ssh-add -c}).
 */
public final class SshAgent {

    private static final Logger LOG = LoggerFactory.getLogger(SshAgent.class);

    /** The largest answer read: far above a full agent's key list (a 16384-bit RSA blob is ~2 KiB). */
    static final int MAX_ANSWER_LENGTH = 256 * 1024;

    static final byte SSH_AGENT_FAILURE = 5;
    static final byte SSH_AGENTC_REQUEST_IDENTITIES = 11;
    static final byte SSH_AGENT_IDENTITIES_ANSWER = 12;
    static final byte SSH_AGENTC_SIGN_REQUEST = 13;
    static final byte SSH_AGENT_SIGN_RESPONSE = 14;
    /** Sign-request flag asking for rsa-sha2-256 instead of the SHA-1 "ssh-rsa" signature rtunnel refuses. */
    static final int SSH_AGENT_RSA_SHA2_256 = 2;

    private final Path socket;

    private SshAgent(Path socket) {
        this.socket = socket;
    }

    /** The agent listening on {@code socket}; nothing is opened until a request. */
    public static SshAgent at(Path socket) {
        return new SshAgent(Objects.requireNonNull(socket, "socket"));
    }

    public Path socket() {
        return socket;
    }

    /** A key the agent holds, with the comment {@code ssh-add} gave it (made safe to print). */
    public record Listed(SshPublicKey key, String comment) {
    }

    /** The agent's keys that rtunnel can use, in the agent's order; others are skipped with a debug line. */
    public List<SshPublicKey> identities() throws IOException {
        return listed().stream().map(Listed::key).toList();
    }

    /** {@link #identities()} with their comments. */
    public List<Listed> listed() throws IOException {
        SshBlobReader answer = ask(new byte[] {SSH_AGENTC_REQUEST_IDENTITIES}, SSH_AGENT_IDENTITIES_ANSWER,
                "ssh-agent refused to list its keys");
        List<Listed> keys = new ArrayList<>();
        try {
            int count = answer.readLength();
            for (int i = 0; i < count; i++) {
                byte[] blob = answer.readString();
                String comment = answer.readText();
                try {
                    keys.add(new Listed(SshPublicKey.fromBlob(blob), PeerText.safe(comment)));
                } catch (IllegalArgumentException e) {
                    LOG.debug("skipping ssh-agent key {}: {}", SshKeyType.quote(comment), e.getMessage());
                }
            }
            answer.requireEnd();
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        return keys;
    }

    /** The agent's SSH signature blob over {@code data} with {@code key}; for RSA, an rsa-sha2-256 one. */
    public byte[] sign(SshPublicKey key, byte[] data) throws IOException {
        int flags = key.keyType() == SshKeyType.RSA ? SSH_AGENT_RSA_SHA2_256 : 0;
        byte[] request = new SshBlobWriter().writeRaw(new byte[] {SSH_AGENTC_SIGN_REQUEST})
                .writeString(key.blob()).writeString(data)
                .writeRaw(ByteBuffer.allocate(4).putInt(flags).array()).toByteArray();
        SshBlobReader answer = ask(request, SSH_AGENT_SIGN_RESPONSE,
                "ssh-agent refused to sign with " + key.fingerprint());
        byte[] signature;
        String algorithm;
        try {
            signature = answer.readString();
            answer.requireEnd();
            algorithm = new SshBlobReader(signature).readText();
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        // Checked here so a SHA-1 signature from an old agent, or a wrong one, fails on this side in one line.
        if (!key.verify(data, signature)) {
            throw new ProtocolException("ssh-agent sent a " + SshKeyType.quote(algorithm)
                    + " signature that does not verify with " + key.fingerprint());
        }
        return signature;
    }

    /** Sends one request and returns the payload of an answer of type {@code expected}. */
    private SshBlobReader ask(byte[] request, byte expected, String refusal) throws IOException {
        ByteBuffer answer;
        try (SocketChannel channel = connect()) {
            try {
                ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                ByteBuffer header = readFully(channel, ByteBuffer.allocate(4));
                int length = header.getInt();
                if (length < 1 || length > MAX_ANSWER_LENGTH) {
                    throw malformed("length " + Integer.toUnsignedString(length)
                            + " is not within 1.." + MAX_ANSWER_LENGTH);
                }
                answer = readFully(channel, ByteBuffer.allocate(length));
            } catch (ProtocolException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("lost ssh-agent at " + socket + ": " + reason(e), e);
            }
        }
        byte type = answer.get();
        if (type == SSH_AGENT_FAILURE) {
            throw new IOException(refusal);
        }
        if (type != expected) {
            throw malformed("message type " + type + " where " + expected + " was expected");
        }
        byte[] payload = new byte[answer.remaining()];
        answer.get(payload);
        return new SshBlobReader(payload);
    }

    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot reach ssh-agent at " + socket + ": " + reason(e), e);
        }
    }

    private static ByteBuffer readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw malformed("the connection closed after " + buffer.position() + " of "
                        + buffer.capacity() + " bytes");
            }
        }
        return buffer.flip();
    }

    private static ProtocolException malformed(String detail) {
        return new ProtocolException("ssh-agent sent a malformed answer: " + detail);
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "SshAgent[" + socket + "]";
    }
}
