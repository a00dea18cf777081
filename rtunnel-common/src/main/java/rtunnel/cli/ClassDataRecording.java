package rtunnel.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launchers' class-data-sharing recording (see {@code bin/rtunnel_client}): a first run's JVM writes the
 * classes it loaded to the file the system property {@value #PROPERTY} names as it exits, and the next start
 * adopts it only when the program marked it worth keeping, once it got as far as its first connection. A run
 * that stopped at a usage error or an unreachable server loaded too little, and the next run records again.
 */
public final class ClassDataRecording {

    /** The recording's path, given by the launcher only on a run that records. */
    public static final String PROPERTY = "rtunnel.cds.recording";

    /** The suffix of the mark beside the recording. */
    public static final String MARK = ".ready";

    private ClassDataRecording() {
    }

    /** Marks this run's recording, if it makes one, as worth keeping: the start-up is over. Best effort. */
    public static void keep() {
        String recording = System.getProperty(PROPERTY);
        if (recording == null || recording.isEmpty()) {
            return;
        }
        try {
            Files.createFile(Path.of(recording + MARK));
        } catch (FileAlreadyExistsException e) {
            // Marked already: a second tunnel, or a reconnect.
        } catch (IOException | RuntimeException e) {
            // Without the mark the next run records again: slower starts until one can mark, nothing worse.
            System.getProperties().remove(PROPERTY);
        }
    }
}
