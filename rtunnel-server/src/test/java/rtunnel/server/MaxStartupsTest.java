package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** MaxStartups reads and computes as sshd_config(5) says. */
class MaxStartupsTest {

    @Test
    void readsStartRateFullAndASingleNumberAsSshdDoes() {
        assertEquals(new MaxStartups(10, 30, 100), MaxStartups.parse("10:30:100"));
        assertEquals(new MaxStartups(10, 100, 10), MaxStartups.parse("10"));
        assertEquals("10:30:100", MaxStartups.parse("10:30:100").toString());
    }

    @Test
    void theChanceOfADropRisesLinearlyFromRateAtStartToAllAtFull() {
        MaxStartups limits = new MaxStartups(10, 30, 100);

        assertEquals(0, limits.dropPercent(9));
        assertEquals(30, limits.dropPercent(10));
        assertEquals(65, limits.dropPercent(55));
        assertEquals(99, limits.dropPercent(99));
        assertEquals(100, limits.dropPercent(100));
        assertEquals(100, limits.dropPercent(1000));
        assertEquals(100, new MaxStartups(10, 100, 10).dropPercent(10));
    }

    @Test
    void badValuesAreRefusedNamingTheValue() {
        assertEquals("'10:30' is not START:RATE:FULL or a number", refusal("10:30"));
        assertEquals("'ten' is not START:RATE:FULL or a number", refusal("ten"));
        assertEquals("'10:30:' is not START:RATE:FULL or a number", refusal("10:30:"));
        assertEquals("START must be at least 1, not 0", refusal("0:30:100"));
        assertEquals("RATE 0 is not between 1 and 100", refusal("10:0:100"));
        assertEquals("RATE 101 is not between 1 and 100", refusal("10:101:100"));
        assertEquals("START 200 is above FULL 100", refusal("200:30:100"));
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> MaxStartups.parse(text)).getMessage();
    }
}
