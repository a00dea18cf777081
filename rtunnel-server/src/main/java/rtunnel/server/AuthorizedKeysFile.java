package rtunnel.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.auth.AuthorizedKeys;
import rtunnel.relay.SocketThreads;
import rtunnel.relay.Worker;

/**
 * The server's authorized-keys file, read again when it changes (checked every second) or when asked
 * (SIGHUP). A file that cannot be read keeps the keys already loaded; a file that grants nobody (the last
 * key removed or revoked) is applied, so revoking the last key works.
 */
final class AuthorizedKeysFile implements Supplier<AuthorizedKeys>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuthorizedKeysFile.class);

    /** How often the file's size and modification time are checked: a stat a second costs nothing. */
    private static final long POLL_MILLIS = 1_000;

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile AuthorizedKeys current;
    private String stamp;
    private boolean closed;
    private Worker thread;

    /** Loads the file; a file that cannot be read or holds no usable key fails here, at start. */
    AuthorizedKeysFile(Path file) throws IOException {
        this.file = file;
        this.current = AuthorizedKeys.load(file);
        this.stamp = stampOrNull();
    }

    @Override
    public AuthorizedKeys get() {
        return current;
    }

    /** Starts watching; {@code onReload} hears of each successful reload. */
    void watch(SocketThreads threads, Consumer<AuthorizedKeys> onReload) {
        thread = threads.start("rtunnel-authorized-keys", () -> pollLoop(onReload));
    }

    /** Reads the file again now (SIGHUP); returns whether it worked. */
    boolean reload(Consumer<AuthorizedKeys> onReload) {
        lock.lock();
        try {
            stamp = stampOrNull();
            AuthorizedKeys keys = AuthorizedKeys.loadAllowingNone(file);
            current = keys;
            if (keys.size() == 0) {
                log.warn("reloaded {}: it grants no key; every client is refused until one is added", file);
            } else {
                log.info("reloaded {}: {} keys", file, keys.size());
            }
            onReload.accept(keys);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            log.warn("keeping the previous authorized keys: {}", e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void pollLoop(Consumer<AuthorizedKeys> onReload) {
        lock.lock();
        try {
            while (!closed) {
                wake.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (!closed && !Objects.equals(stamp, stampOrNull())) {
                    reload(onReload);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private String stampOrNull() {
        try {
            return stamp();
        } catch (IOException e) {
            return null;
        }
    }

    /** Size, modification time and inode: changes whenever an editor saves or replaces the file. */
    private String stamp() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.size() + "/" + attributes.lastModifiedTime().toMillis() + "/" + attributes.fileKey();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(POLL_MILLIS * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
