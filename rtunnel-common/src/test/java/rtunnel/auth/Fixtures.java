package rtunnel.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** The key fixtures under src/test/resources/keys, made by ssh-keygen with make-fixtures.sh. */
final class Fixtures {

    /** The passphrase of every *-encrypted fixture (and of ed25519-chacha). */
    static final String PASSPHRASE = "correct horse";

    /** What {@code ssh-keygen -lf <name>.pub} printed for each fixture. */
    static final Map<String, String> FINGERPRINTS = Map.ofEntries(
            Map.entry("ed25519", "SHA256:Brp8BhaxFyPjrdZz5JqSJZbblBySaDLO5I8dnZCnvdA"),
            Map.entry("ecdsa256", "SHA256:XLuGzwjbT+VLeXShRotg6JsGDOM0ap6iCZW+CGy/z4g"),
            Map.entry("ecdsa384", "SHA256:zQxRB6kAhK1C8fplbV5eJroiurjgUkgA/xev9Q6YexQ"),
            Map.entry("ecdsa521", "SHA256:0h7PRzK/TmrgVt5WsFKhMKeTRSIhw8s+1kghBSNZKvs"),
            Map.entry("rsa2048", "SHA256:i2jGPN77XB0EgDyBE1QLcgav7eHdaJHf0CcqPGZwftw"),
            Map.entry("rsa3072", "SHA256:nOlMLD5QWKw1AzGvg4+kt83KCnswmQvjyNXRQ83gbxQ"),
            Map.entry("rsa-pem", "SHA256:bkGLRWTTBeErIZB+ibP/rgSt8r0i1RlO5TzDsp9pF2I"),
            Map.entry("ecdsa-pem", "SHA256:Ou25+oVlLvoXgw1+uSvhcKD1QSZzPvMbncR7UqOjsHY"),
            Map.entry("rsa-pkcs8", "SHA256:wsiKACwazQKnU3DXG0jETFrOEshAOrnwB47JMbWNexI"),
            Map.entry("ecdsa-pkcs8", "SHA256:qXvA+KXd0QmBajXjrY4BIJC3GsE5h8ja1jQL9XIHLEg"),
            Map.entry("ed25519-encrypted", "SHA256:1HhAYrIbbuc1lFNMn7RNwc0ttwJmGUBrmDQxWsn2WJw"),
            Map.entry("rsa-encrypted", "SHA256:El+VcbY31urdQiaX5q363Rpdg06IXjgV2m0ynRHVlZo"),
            Map.entry("ed25519-chacha", "SHA256:uYv7wydAJ39PokoqCS+sYPjQuf1bjMPCiWoAcYiWmmQ"),
            Map.entry("rsa-pem-encrypted", "SHA256:OR/mBYM7sQcy+T6HlBujW/dMOyJz3O0+RN2F9wPSnmk"),
            Map.entry("ecdsa-pkcs8-encrypted", "SHA256:2SReuuicmmqZKl+XmLEeeig4ZRCirvNt/swjipKSLDg"),
            Map.entry("rsa1024", "SHA256:zxhl61DadqMpzerOyGXkjZUzbJ81QY+yF2qwkdTXJb8"),
            Map.entry("dsa", "SHA256:oZpSmf3BhmG8ZHuK+HCad0nfsAJ+8pYP63o3nwvG2UA"));

    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/keys/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture keys/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Base64-decoded key field of {@code <name>.pub}. */
    static byte[] publicBlob(String name) {
        try {
            return Base64.getDecoder().decode(Files.readString(path(name + ".pub")).split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SshPublicKey publicKey(String name) {
        return SshPublicKey.fromBlob(publicBlob(name));
    }

    static SshPrivateKey privateKey(String name) throws IOException {
        return SshPrivateKey.load(path(name), PassphraseSource.of(PASSPHRASE));
    }

    /** An admission rule listing the ed25519 fixture and revoking rsa3072, from a file written in {@code dir}. */
    static ClientAdmission ed25519ListedRsa3072Revoked(Path dir) throws IOException {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, Files.readString(path("ed25519.pub")) + "@revoked " + Files.readString(path("rsa3072.pub")));
        AuthorizedKeys keys = AuthorizedKeys.load(file);
        return new AuthorizedKeysAdmission(() -> keys);
    }
}
