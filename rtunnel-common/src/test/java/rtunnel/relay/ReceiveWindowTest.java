package rtunnel.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import rtunnel.protocol.Protocol;

/** When a stream grants window, how it grows out of the session's budget, and what it gives back. */
class ReceiveWindowTest {

    private static final int INITIAL = Protocol.INITIAL_WINDOW;

    private static WindowBudget budgetAfterOpening(long total) {
        WindowBudget budget = new WindowBudget(total);
        budget.tryTake(INITIAL);
        return budget;
    }

    @Test
    void aGrantIsDueAtHalfTheWindowAndDoublesItWhileTheSocketKeepsUp() {
        WindowBudget budget = budgetAfterOpening(WindowBudget.SESSION_BYTES);
        ReceiveWindow window = new ReceiveWindow(budget);
        assertEquals(0, window.consumed(INITIAL / 2 - 1, false), "not due yet");
        assertEquals(INITIAL / 2 + INITIAL, window.consumed(1, false), "consumed bytes plus growth");
        assertEquals(2 * INITIAL, window.size());
        assertEquals(2L * INITIAL, budget.promised());
    }

    @Test
    void aBackloggedSocketGetsItsBytesBackButNoGrowth() {
        ReceiveWindow window = new ReceiveWindow(budgetAfterOpening(WindowBudget.SESSION_BYTES));
        assertEquals(INITIAL / 2, window.consumed(INITIAL / 2, true));
        assertEquals(INITIAL, window.size());
    }

    @Test
    void growthStopsAtTheMaximumAndWhenTheBudgetIsSpent() {
        WindowBudget roomy = budgetAfterOpening(WindowBudget.SESSION_BYTES);
        ReceiveWindow window = new ReceiveWindow(roomy);
        while (window.consumed(window.size(), false) > 0 && window.size() < ReceiveWindow.MAX_BYTES) {
            // Keep consuming whole windows: it doubles each time.
        }
        assertEquals(ReceiveWindow.MAX_BYTES, window.size());
        assertEquals(ReceiveWindow.MAX_BYTES / 2, window.consumed(ReceiveWindow.MAX_BYTES / 2, false));
        assertEquals(ReceiveWindow.MAX_BYTES, window.size(), "no further");

        WindowBudget tight = budgetAfterOpening(INITIAL + INITIAL / 2);
        ReceiveWindow starved = new ReceiveWindow(tight);
        assertEquals(INITIAL / 2, starved.consumed(INITIAL / 2, false), "the budget has no room to double");
        assertEquals(INITIAL, starved.size());
    }

    @Test
    void releasingGivesBackEverythingOnce() {
        WindowBudget budget = budgetAfterOpening(WindowBudget.SESSION_BYTES);
        ReceiveWindow window = new ReceiveWindow(budget);
        window.consumed(INITIAL, false);
        window.release();
        window.release();
        assertEquals(0, budget.promised());
        assertEquals(INITIAL, window.consumed(INITIAL, false), "its bytes back, but a released window does not grow");
        assertEquals(0, budget.promised());
    }
}
