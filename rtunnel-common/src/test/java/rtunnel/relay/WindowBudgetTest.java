package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a session may promise, alone and within the budget the whole process shares. */
class WindowBudgetTest {

    @Test
    void aBudgetGivesNoMoreThanItHasAndTakesNothingWhenItSaysNo() {
        WindowBudget budget = new WindowBudget(100);
        assertTrue(budget.tryTake(60));
        assertFalse(budget.tryTake(41));
        assertEquals(60, budget.promised());
        budget.giveBack(60);
        assertEquals(0, budget.promised());
    }

    @Test
    void sessionsTogetherStayWithinTheSharedBudget() {
        WindowBudget process = new WindowBudget(150);
        WindowBudget first = new WindowBudget(100, process);
        WindowBudget second = new WindowBudget(100, process);
        assertTrue(first.tryTake(100));
        assertFalse(second.tryTake(60), "the process has only 50 left");
        assertEquals(0, second.promised(), "a refusal by the shared budget leaves the session's untouched");
        assertTrue(second.tryTake(50));
        first.giveBack(100);
        assertEquals(50, process.promised());
        assertTrue(second.tryTake(50));
    }

    @Test
    void theProcessBudgetIsHalfTheHeapAndEachSessionGetsItsOwnShare() {
        WindowBudget process = WindowBudget.forProcess();
        assertEquals((long) (Runtime.getRuntime().maxMemory() * WindowBudget.HEAP_SHARE), process.total());
        assertEquals(WindowBudget.SESSION_BYTES, process.forSession().total());
    }
}
