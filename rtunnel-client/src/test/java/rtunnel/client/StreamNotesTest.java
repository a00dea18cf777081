package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The documents' (stdout) and (stderr) notes must be true, and present where both streams show. */
class StreamNotesTest {

    private static final String KEY = "rtunnel_server: host key SHA256:FJkM7Anh5hOGGDIyMuiZoMR4U3n7KNIPazslVNz19JE";
    private static final String LISTENING = "rtunnel_server: listening for clients on 0.0.0.0:19050";
    private static final Map<String, Set<String>> PRINTED = Map.of(OutputShape.of(KEY), Set.of("stderr"),
            OutputShape.of(LISTENING), Set.of("stdout"));

    @Test
    void readsTheNoteAfterALine() {
        assertEquals(Optional.of("stderr"), StreamNotes.of(KEY + "   (stderr)"));
        assertEquals(Optional.of("stdout"), StreamNotes.of(LISTENING + " (stdout, exit 0)"));
        assertEquals(Optional.empty(), StreamNotes.of(LISTENING));
    }

    @Test
    void refusesLinesOfBothStreamsWithoutNotes() {
        assertThrows(AssertionError.class, () -> check(List.of(KEY, LISTENING)));
        assertThrows(AssertionError.class, () -> check(List.of(KEY + " (stderr)", LISTENING)));
    }

    @Test
    void refusesANoteThatNamesTheWrongStream() {
        assertThrows(AssertionError.class, () -> check(List.of(KEY + " (stdout)")));
        assertThrows(AssertionError.class, () -> check(List.of(KEY + " (stdout)", LISTENING + " (stderr)")));
    }

    @Test
    void acceptsTrueNotesAndOneStreamWithout() {
        assertDoesNotThrow(() -> check(List.of(KEY + " (stderr)", LISTENING + " (stdout)")));
        assertDoesNotThrow(() -> check(List.of(LISTENING)));
    }

    private static void check(List<String> shown) {
        StreamNotes.check("test", shown, shape -> PRINTED.getOrDefault(shape, Set.of()));
    }
}
