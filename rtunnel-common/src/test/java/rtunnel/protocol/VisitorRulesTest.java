package rtunnel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VISITOR_RULES on the wire: exact bytes, its limit, and a password that never shows. */
class VisitorRulesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesTunnelBlocksUserPasswordAndFlags() throws ProtocolException {
        VisitorRules rules = new VisitorRules(2, List.of("10.0.0.0/8"), "al", "pw", true);

        Frame frame = rules.toFrame();

        assertEquals(FrameType.VISITOR_RULES, frame.type());
        assertEquals("00000002" + "01" + "000a" + HEX.formatHex("10.0.0.0/8".getBytes()) + "0002" + "616c"
                + "0002" + "7077" + "01", HEX.formatHex(frame.payload()));
        assertEquals(rules, VisitorRules.from(frame));
    }

    @Test
    void moreBlocksThanTheLimitAreAProtocolError() {
        Frame frame = new VisitorRules(1, Collections.nCopies(VisitorRules.MAX_BLOCKS + 1, "::/0"), "", "", false)
                .toFrame();

        ProtocolException e = assertThrows(ProtocolException.class, () -> VisitorRules.from(frame));

        assertEquals("VISITOR_RULES carries 65 blocks, more than 64", e.getMessage());
    }

    @Test
    void unknownFlagsAreAProtocolError() {
        Frame frame = new PayloadBuilder().u32(1).u8(0).string16("").string16("").u8(6)
                .toFrame(FrameType.VISITOR_RULES, Protocol.SESSION_STREAM);

        ProtocolException e = assertThrows(ProtocolException.class, () -> VisitorRules.from(frame));

        assertEquals("VISITOR_RULES has unknown flags 6", e.getMessage());
    }

    @Test
    void thePasswordNeverShowsInText() {
        String text = new VisitorRules(1, List.of(), "alice", "s3cret-pw", false).toString();

        assertFalse(text.contains("s3cret-pw"), text);
        assertTrue(text.contains("alice"), text);
    }

    @Test
    void noRuleIsNotSent() {
        assertFalse(VisitorRules.none(3).isSet());
        assertTrue(new VisitorRules(3, List.of(), "", "", true).isSet());
    }
}
