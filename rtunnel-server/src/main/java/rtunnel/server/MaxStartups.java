package rtunnel.server;

/**
 * sshd's {@code MaxStartups START:RATE:FULL} (sshd_config(5)) for handshakes under way: from START on, each
 * new connection makes the server drop a handshake with probability RATE percent, rising linearly to 100
 * percent at FULL. Which handshake is dropped is {@link StartupTable}'s choice.
 *
 * @param start handshakes under way from which drops begin
 * @param rate the chance of a drop at {@code start}, in percent (1 to 100)
 * @param full handshakes under way at which every new connection makes a drop
 */
public record MaxStartups(int start, int rate, int full) {

    public MaxStartups {
        if (start < 1) {
            throw new IllegalArgumentException("START must be at least 1, not " + start);
        }
        if (rate < 1 || rate > 100) {
            throw new IllegalArgumentException("RATE " + rate + " is not between 1 and 100");
        }
        if (full < start) {
            throw new IllegalArgumentException("START " + start + " is above FULL " + full);
        }
    }

    /** Reads {@code START:RATE:FULL}, or a single number N for N:100:N, as sshd does. */
    public static MaxStartups parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not START:RATE:FULL or a number");
        }
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not START:RATE:FULL or a number");
            }
        }
        return parts.length == 1 ? new MaxStartups(numbers[0], 100, numbers[0])
                : new MaxStartups(numbers[0], numbers[1], numbers[2]);
    }

    /**
     * The chance in percent that a new connection makes a drop while {@code underWay} handshakes are under
     * way, computed as sshd does, in whole percent.
     */
    public int dropPercent(int underWay) {
        if (underWay < start) {
            return 0;
        }
        if (underWay >= full) {
            return 100;
        }
        return rate + (100 - rate) * (underWay - start) / (full - start);
    }

    /** {@code START:RATE:FULL}, as the flag takes it. */
    @Override
    public String toString() {
        return start + ":" + rate + ":" + full;
    }
}
