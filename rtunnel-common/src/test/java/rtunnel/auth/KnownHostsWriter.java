package rtunnel.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A child process of {@link KnownHostsFileTest}: meets many servers, and one that every child meets, recording
 * each in one known_hosts file, as clients starting together would. Prints how many keys it recorded.
 */
public final class KnownHostsWriter {

    private KnownHostsWriter() {
    }

    /** Arguments: the file, this child's name prefix, how many servers of its own, a key blob in Base64. */
    public static void main(String[] args) throws IOException {
        KnownHostsFile file = new KnownHostsFile(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        SshPublicKey key = SshPublicKey.fromBlob(Base64.getDecoder().decode(args[3]));
        int recorded = 0;
        for (int i = 0; i < count; i++) {
            recorded += file.verify(KnownHostsFileTest.SHARED, key) ? 1 : 0;
            recorded += file.verify(KnownHosts.name(args[1] + "-" + i + ".example.com", 4000), key) ? 1 : 0;
        }
        System.out.println(recorded);
    }
}
