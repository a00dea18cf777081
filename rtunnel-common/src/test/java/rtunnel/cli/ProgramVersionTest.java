package rtunnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgramVersionTest {

    @Test
    void classFilesWithoutAManifestAreTheDevVersion() {
        assertEquals(ProgramVersion.UNPACKAGED, ProgramVersion.of(ProgramVersionTest.class));
    }

    @Test
    void theLineNamesTheProgramTheVersionAndTheJava() {
        assertEquals("rtunnel_server dev (Java " + System.getProperty("java.version") + ")",
                ProgramVersion.line("rtunnel_server", ProgramVersionTest.class));
    }
}
