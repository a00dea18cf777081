package rtunnel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import rtunnel.auth.HandshakeProgress.Step;
import rtunnel.server.StartupTable.Reason;
import rtunnel.server.StartupTable.Verdict;

/** Which handshake the table drops, on a clock and dice the test holds. */
class StartupTableTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private final Dice dice = new Dice();

    /** Dice that roll what the test queued, and fail when rolled unexpectedly. */
    private static final class Dice implements RandomGenerator {
        final Deque<Integer> rolls = new ArrayDeque<>();

        @Override
        public int nextInt(int bound) {
            assertEquals(100, bound);
            return rolls.remove();
        }

        @Override
        public long nextLong() {
            throw new AssertionError("only nextInt(100) is expected");
        }
    }

    private StartupTable<String> table(String maxStartups, int perSource) {
        return new StartupTable<>(MaxStartups.parse(maxStartups), perSource, now::get, dice);
    }

    private void later(long millis) {
        now.addAndGet(millis * MS);
    }

    @Test
    void belowStartEveryoneIsAdmittedAndNoDiceAreRolled() {
        StartupTable<String> table = table("3:30:10", 10);

        assertAdmitted(table.admit("a", "10.0.0.1", false));
        assertAdmitted(table.admit("b", "10.0.0.1", false));
        assertAdmitted(table.admit("c", "10.0.0.2", false));
        assertEquals(3, table.size());
    }

    @Test
    void aSilentConnectionIsDroppedForANewcomer() {
        StartupTable<String> table = table("1", 10);
        table.admit("silent", "10.0.0.2", false);
        later(5);

        Verdict<String> verdict = table.admit("newcomer", "10.0.0.1", false);

        assertVerdict("silent", Reason.MAX_STARTUPS, verdict);
        assertEquals(Step.CONNECTED, verdict.step());
        assertEquals(5 * MS, verdict.idleNanos());
        assertEquals(1, table.size());
        assertEquals(0, table.fromSource("10.0.0.2"));
    }

    @Test
    void theNewcomerIsRefusedWhenEveryoneElseHasMadeProgressLately() {
        StartupTable<String> table = table("2", 10);
        table.admit("x", "10.0.0.2", false);
        table.admit("y", "10.0.0.3", false);
        table.progressed("x", Step.HELLO);
        table.progressed("y", Step.AUTH);
        later(999);

        assertVerdict("newcomer", Reason.MAX_STARTUPS, table.admit("newcomer", "10.0.0.1", false));
        assertEquals(2, table.size());
        assertEquals(0, table.fromSource("10.0.0.1"));
    }

    @Test
    void aHandshakeStalledAfterClientHelloLosesToANewcomerOnceProgressNoLongerCounts() {
        StartupTable<String> table = table("1", 10);
        table.admit("stalled", "10.0.0.2", false);
        table.progressed("stalled", Step.HELLO);
        later(StartupTable.PROGRESS_COUNTS_NANOS / MS - 1);
        assertVerdict("early", Reason.MAX_STARTUPS, table.admit("early", "10.0.0.1", false));

        later(1);
        Verdict<String> verdict = table.admit("newcomer", "10.0.0.1", false);

        assertVerdict("stalled", Reason.MAX_STARTUPS, verdict);
        assertEquals(Step.HELLO, verdict.step());
        assertEquals(StartupTable.PROGRESS_COUNTS_NANOS, verdict.idleNanos());
    }

    @Test
    void leastProgressGoesFirstThenTheLongestWithoutAny() {
        StartupTable<String> table = table("3", 10);
        table.admit("hello", "10.0.0.2", false);
        table.admit("old", "10.0.0.3", false);
        later(10);
        table.admit("young", "10.0.0.4", false);
        table.progressed("hello", Step.HELLO);
        later(10);

        assertVerdict("old", Reason.MAX_STARTUPS, table.admit("n1", "10.0.0.1", false));
        later(1);
        assertVerdict("young", Reason.MAX_STARTUPS, table.admit("n2", "10.0.0.1", false));
        later(1);
        assertVerdict("n1", Reason.MAX_STARTUPS, table.admit("n3", "10.0.0.1", false));
    }

    @Test
    void onATieTheNewcomerIsTheOneRefused() {
        StartupTable<String> table = table("1", 10);
        table.admit("first", "10.0.0.2", false);

        assertVerdict("second", Reason.MAX_STARTUPS, table.admit("second", "10.0.0.3", false));
    }

    @Test
    void aSourceAtItsLimitLosesOneOfItsOwnHandshakesNeverAnotherSources() {
        StartupTable<String> table = table("100:30:200", 2);
        table.admit("other", "10.0.0.9", false);
        later(50);
        table.admit("a1", "10.0.0.2", false);
        later(1);
        table.admit("a2", "10.0.0.2", false);
        table.progressed("a1", Step.HELLO);
        later(1);

        assertVerdict("a2", Reason.PER_SOURCE, table.admit("a3", "10.0.0.2", false));
        assertEquals(2, table.fromSource("10.0.0.2"));
        assertEquals(1, table.fromSource("10.0.0.9"));
        later(1);
        assertVerdict(null, null, table.admit("b", "10.0.0.3", false));
    }

    @Test
    void aFullServerMakesRoomByDroppingAHandshakeOrElseRefusesTheNewcomer() {
        StartupTable<String> table = table("10", 10);

        assertVerdict("first", Reason.MAX_CLIENTS, table.admit("first", "10.0.0.1", true));
        table.admit("silent", "10.0.0.2", false);
        later(1);
        assertVerdict("silent", Reason.MAX_CLIENTS, table.admit("newcomer", "10.0.0.1", true));
    }

    @Test
    void fromStartTheDiceDecideWithSshdsOddsRisingToFull() {
        StartupTable<String> table = table("2:30:10", 10);
        table.admit("a", "10.0.0.2", false);
        later(1);
        table.admit("b", "10.0.0.3", false);
        later(1);

        dice.rolls.add(30);
        assertAdmitted(table.admit("c", "10.0.0.4", false));
        dice.rolls.add(37);
        assertVerdict("a", Reason.RANDOM_EARLY_DROP, table.admit("d", "10.0.0.5", false));
        for (String name : List.of("e", "f", "g", "h", "i")) {
            dice.rolls.add(99);
            assertAdmitted(table.admit(name, "10.0.0.6", false));
        }
        dice.rolls.add(82);
        assertAdmitted(table.admit("j", "10.0.0.7", false));
        dice.rolls.add(90);
        assertEquals(Reason.RANDOM_EARLY_DROP, table.admit("k", "10.0.0.7", false).reason());
        dice.rolls.add(99);
        assertAdmitted(table.admit("l", "10.0.0.7", false));
        assertEquals(10, table.size());
        assertEquals(Reason.MAX_STARTUPS, table.admit("m", "10.0.0.7", false).reason(), "no dice at FULL");
        assertEquals(0, dice.rolls.size());
    }

    @Test
    void progressAndEndsOfDroppedHandshakesAreIgnored() {
        StartupTable<String> table = table("1", 10);
        table.admit("gone", "10.0.0.2", false);
        later(1);
        table.admit("newcomer", "10.0.0.1", false);

        table.progressed("gone", Step.AUTH);
        table.remove("gone");
        assertEquals(1, table.size());
        table.remove("newcomer");
        assertEquals(0, table.size());
        assertEquals(0, table.fromSource("10.0.0.1"));
    }

    private static void assertAdmitted(Verdict<String> verdict) {
        assertVerdict(null, null, verdict);
    }

    private static void assertVerdict(String dropped, Reason reason, Verdict<String> verdict) {
        assertEquals(dropped, verdict.dropped());
        assertSame(reason, verdict.reason());
        if (reason == null) {
            assertNull(verdict.dropped());
        }
    }
}
