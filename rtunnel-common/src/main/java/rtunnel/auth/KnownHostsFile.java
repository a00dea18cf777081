package rtunnel.auth;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rtunnel.protocol.Refusal;
import rtunnel.protocol.RefusedException;

/**
 * A client's known_hosts file: read at every connection, and added to when a server is met for the first
 * time. The addition happens under an exclusive lock on the file, after reading it again, so clients that
 * meet a server together neither corrupt the file nor record two keys for one server. The lock is the
 * operating system's, which serialises processes; threads of one JVM (a client holding tunnels on several
 * servers at once) take turns on {@link #THREADS_OF_THIS_JVM} first.
 */
public final class KnownHostsFile {

    private static final Logger log = LoggerFactory.getLogger(KnownHostsFile.class);

    /**
     * The largest file read: some 10,000 lines of RSA keys, far more servers than one client meets. It keeps a
     * mistaken path (a device, a log) from being read into memory at every connection.
     */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    /**
     * The file lock serialises processes but not threads: a second lock from the same JVM throws
     * OverlappingFileLockException. First contacts are rare, so one lock for every file is enough.
     */
    private static final ReentrantLock THREADS_OF_THIS_JVM = new ReentrantLock();

    private final Path file;

    public KnownHostsFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * Checks {@code key} for the server named {@code name} ({@link KnownHosts#name}): false when the file
     * already has it, true when the server was new and its key is now recorded (the file and its directory are
     * created, owner-only, when missing).
     *
     * @throws RefusedException (refusal AUTHENTICATION) when the file has another key for the server, or
     *     revokes this one
     * @throws KeyFileException when the file cannot be read or written
     */
    public boolean verify(String name, SshPublicKey key) throws IOException {
        KnownHosts known = KnownHosts.parse(Files.exists(file) ? read() : "");
        known.skipped().forEach(line -> log.debug("{}: skipped {}", file, line));
        if (isKnown(known.check(name, key), key)) {
            return false;
        }
        return record(name, key);
    }

    /** True for KNOWN, false for NEW; refuses a changed or revoked key, naming the line. */
    private boolean isKnown(KnownHosts.Verdict verdict, SshPublicKey key) throws RefusedException {
        return switch (verdict.kind()) {
            case KNOWN -> true;
            case NEW -> false;
            case CHANGED -> throw new RefusedException(Refusal.AUTHENTICATION, "server identity mismatch",
                    "server key is " + key.fingerprint() + ", but " + file + ":" + verdict.entry().line() + " has "
                            + verdict.entry().key().fingerprint()
                            + " (remove that line if the server's key changed on purpose)");
            case REVOKED -> throw new RefusedException(Refusal.AUTHENTICATION, "server identity mismatch",
                    "server key " + key.fingerprint() + " is revoked at " + file + ":" + verdict.entry().line());
        };
    }

    // "try": the lock is a resource only to be released when the channel closes.
    @SuppressWarnings("try")
    private boolean record(String name, SshPublicKey key) throws IOException {
        THREADS_OF_THIS_JVM.lock();
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null && !Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            try (FileChannel channel = FileChannel.open(file, Set.of(CREATE, READ, WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    FileLock lock = channel.lock()) {
                String text = read(channel);
                // Another client may have met the server while this one looked: its line decides.
                if (isKnown(KnownHosts.parse(text).check(name, key), key)) {
                    return false;
                }
                String line = (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + KnownHosts.line(name, key) + "\n";
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                for (long at = channel.size(); bytes.hasRemaining(); ) {
                    at += channel.write(bytes, at);
                }
                channel.force(false);
                return true;
            }
        } catch (RefusedException | KeyFileException e) {
            throw e;
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot record the server's key: " + reason(e));
        } finally {
            THREADS_OF_THIS_JVM.unlock();
        }
    }

    private String read() throws KeyFileException {
        try {
            checkSize(Files.size(file));
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (KeyFileException e) {
            throw e;
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot read: " + reason(e));
        }
    }

    private String read(FileChannel channel) throws IOException {
        checkSize(channel.size());
        ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
        for (int read = 0; read >= 0 && bytes.hasRemaining(); ) {
            read = channel.read(bytes, bytes.position());
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    private void checkSize(long size) throws KeyFileException {
        if (size > MAX_FILE_BYTES) {
            throw new KeyFileException(file, "larger than " + MAX_FILE_BYTES + " bytes; not a known_hosts file");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            // createDirectories met a file where a directory belongs.
            return "not a directory: " + exists.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
