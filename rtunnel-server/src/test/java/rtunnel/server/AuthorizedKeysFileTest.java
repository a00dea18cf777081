package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import rtunnel.relay.SocketThreads;
import rtunnel.testing.Await;
import rtunnel.testing.KeyFixtures;

@Timeout(30)
class AuthorizedKeysFileTest {

    @Test
    void anEditedFileIsReadAgainByItself(@TempDir Path directory) throws Exception {
        KeyFixtures keys = new KeyFixtures();
        Path file = directory.resolve("authorized_keys");
        Files.writeString(file, keys.publicLine("ed25519") + "\n");
        AtomicInteger reloads = new AtomicInteger();
        try (AuthorizedKeysFile watched = new AuthorizedKeysFile(file)) {
            watched.watch(new SocketThreads(), loaded -> reloads.incrementAndGet());
            assertEquals(1, watched.get().size());
            Files.writeString(file, keys.publicLine("ed25519") + "\n" + keys.publicLine("rsa2048") + "\n");
            Await.until("the file is read again", Duration.ofSeconds(10), () -> reloads.get() == 1);
            assertEquals(2, watched.get().size());
        }
    }

    @Test
    void anUnreadableFileKeepsThePreviousKeys(@TempDir Path directory) throws Exception {
        KeyFixtures keys = new KeyFixtures();
        Path file = directory.resolve("authorized_keys");
        Files.writeString(file, keys.publicLine("ed25519") + "\n");
        try (AuthorizedKeysFile watched = new AuthorizedKeysFile(file)) {
            Files.delete(file);
            assertEquals(false, watched.reload(loaded -> { }));
            assertEquals(1, watched.get().size(), "the previous keys stay");
        }
    }

    @Test
    void revokingTheLastKeyAdmitsNobody(@TempDir Path directory) throws Exception {
        KeyFixtures keys = new KeyFixtures();
        Path file = directory.resolve("authorized_keys");
        String line = keys.publicLine("ed25519");
        Files.writeString(file, line + "\n");
        try (AuthorizedKeysFile watched = new AuthorizedKeysFile(file)) {
            Files.writeString(file, line + "\n@revoked * " + line + "\n");
            assertEquals(true, watched.reload(loaded -> { }));
            assertEquals(0, watched.get().size(), "the revoked key is no longer admitted");
        }
    }
}
