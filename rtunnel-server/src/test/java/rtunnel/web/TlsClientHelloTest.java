package rtunnel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import rtunnel.protocol.ProtocolException;

/** The SNI of ClientHellos the JDK's own TLS client writes, whole, cut short, split over records, or absent. */
class TlsClientHelloTest {

    @Test
    void readsTheServerNameOfARealClientHello() throws Exception {
        byte[] hello = clientHello("App.Example.Test");

        assertEquals("app.example.test", TlsClientHello.serverName(hello, hello.length));
    }

    @Test
    void aHelloCutShortAtAnyByteAsksForMore() throws Exception {
        byte[] hello = clientHello("app.example.test");

        for (int length = 0; length < hello.length; length++) {
            assertSame(TlsClientHello.INCOMPLETE, TlsClientHello.serverName(hello, length), "at " + length);
        }
    }

    @Test
    void aHelloSplitOverTwoRecordsIsGathered() throws Exception {
        byte[] hello = clientHello("app.example.test");
        int body = hello.length - 5;
        int first = body / 2;
        byte[] split = new byte[hello.length + 5];
        System.arraycopy(hello, 0, split, 0, 5 + first);
        split[3] = (byte) (first >> 8);
        split[4] = (byte) first;
        System.arraycopy(hello, 0, split, 5 + first, 3);
        split[5 + first + 3] = (byte) ((body - first) >> 8);
        split[5 + first + 4] = (byte) (body - first);
        System.arraycopy(hello, 5 + first, split, 10 + first, body - first);

        assertEquals("app.example.test", TlsClientHello.serverName(split, split.length));
    }

    @Test
    void aHelloWithoutServerNameHasNone() throws Exception {
        byte[] hello = clientHello(null);

        assertNull(TlsClientHello.serverName(hello, hello.length));
    }

    @Test
    void plainHttpIsNotTls() {
        byte[] bytes = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

        ProtocolException e = assertThrows(ProtocolException.class, () -> TlsClientHello.serverName(bytes, bytes.length));

        assertEquals("not a TLS handshake record", e.getMessage());
    }

    @Test
    void aMessageThatIsNoClientHelloIsRefused() throws Exception {
        byte[] hello = clientHello("app.example.test");
        hello[5] = 2;

        ProtocolException e = assertThrows(ProtocolException.class, () -> TlsClientHello.serverName(hello, hello.length));

        assertEquals("first TLS handshake message is not a ClientHello", e.getMessage());
    }

    @Test
    void aNameLongerThanTheMessageIsRefused() throws Exception {
        byte[] hello = clientHello("app.example.test");
        // The JDK sends server_name first: type, size, list size, name type, then the name's length.
        int nameLength = extensionsOffset(hello) + 2 + 2 + 2 + 2 + 1;
        assertEquals(16, (hello[nameLength] & 0xff) << 8 | hello[nameLength + 1] & 0xff);
        hello[nameLength] = (byte) 0xff;

        ProtocolException e = assertThrows(ProtocolException.class, () -> TlsClientHello.serverName(hello, hello.length));

        // Offsets count in the handshake message, which starts after the 5-byte record header.
        assertEquals("ClientHello truncated at offset " + (nameLength + 2 - 5), e.getMessage());
    }

    /** Where the extensions' length stands in a one-record ClientHello. */
    private static int extensionsOffset(byte[] hello) {
        int offset = 5 + 4 + 2 + 32;
        offset += 1 + (hello[offset] & 0xff);
        offset += 2 + ((hello[offset] & 0xff) << 8 | hello[offset + 1] & 0xff);
        return offset + 1 + (hello[offset] & 0xff);
    }

    /** The first flight of the JDK's TLS client, asking for {@code serverName} (none when null). */
    private static byte[] clientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = serverName == null ? context.createSSLEngine() : context.createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        if (serverName == null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(java.util.List.of());
            engine.setSSLParameters(parameters);
        }
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
