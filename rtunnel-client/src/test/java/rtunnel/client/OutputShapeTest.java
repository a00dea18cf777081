package rtunnel.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** A line a document shows and the line a run printed compare by their shapes. */
class OutputShapeTest {

    @Test
    void hostsPortsFingerprintsAndNotesDoNotCount() {
        assertEquals(OutputShape.of("rtunnel_client: server 127.0.0.1:41234 host key "
                        + "SHA256:TCFixkDqVcWrEqKTNscNvv4MtPQVPpQXoC97hyhhSzk"),
                OutputShape.of("rtunnel_client: server myserver.com:19050 host key "
                        + "SHA256:FJkM7Anh5hOGGDIyMuiZoMR4U3n7KNIPazslVNz19JE         (stderr)"));
    }

    @Test
    void publicKeysDoNotCount() {
        assertEquals("ssh-ed25519 KEY", OutputShape.of(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILX674nZqrlMpgpL7DhVjZ7ajypwijwjdtCwosTvl4kZ"));
    }

    @Test
    void theWordsAndTheTargetsHostDo() {
        assertNotEquals(OutputShape.of("rtunnel_client: myserver.com:4000 -> localhost:3000"),
                OutputShape.of("rtunnel_client: 127.0.0.1:4000 => localhost:3000"));
        assertNotEquals(OutputShape.of("rtunnel_client: myserver.com:4000 -> localhost:3000"),
                OutputShape.of("rtunnel_client: 127.0.0.1:4000 -> 127.0.0.1:3000"));
    }

    @Test
    void aNoteIsOnlyOneTheDocumentsUse() {
        assertEquals("# FINGERPRINT  (ED25519)", OutputShape.of("256 SHA256:FJkM7Anh5hOGGDIyMuiZoMR4U3n7KNIPazslVNz19JE  (ED25519)"));
        assertEquals("rtunnel_server: PATH: no usable key",
                OutputShape.of("rtunnel_server: /etc/rtunnel/authorized_keys: no usable key     (exit 2)"));
    }
}
