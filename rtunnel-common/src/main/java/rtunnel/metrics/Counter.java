package rtunnel.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A count that only grows (events, bytes), safe to bump from any thread without contention. */
public final class Counter {

    private final LongAdder count = new LongAdder();

    public void increment() {
        count.increment();
    }

    public void add(long amount) {
        count.add(amount);
    }

    public long value() {
        return count.sum();
    }
}
