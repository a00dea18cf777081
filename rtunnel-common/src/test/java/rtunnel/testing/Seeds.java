package rtunnel.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A fuzz test's seeds, each followed by a few mutants made the way a fuzzer starts out (a flipped bit, a
 * byte set to a boundary value, a cut, a repeated slice, a huge number written over four bytes). A plain
 * test run replays them all: real inputs plus a bounded number of tries, the same on every run.
 */
public final class Seeds {

    /** Mutants per seed of a codec: enough to reach each decoder's error paths, few enough to replay in a second. */
    public static final int FOR_CODECS = 8;

    /** Mutants per seed where each input costs signatures (a few milliseconds each, far more while the JIT is cold). */
    public static final int FOR_CRYPTO = 2;

    private static final byte[] BOUNDARIES = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1};

    private final int mutants;
    private final List<Arguments> arguments = new ArrayList<>();

    /** Seeds that each get {@code mutants} mutants. */
    public Seeds(int mutants) {
        this.mutants = mutants;
    }

    /** Adds {@code input}, named for the test report, and its mutants. */
    public Seeds add(String name, byte[] input) {
        arguments.add(Arguments.of(Named.of(name, input)));
        Random random = new Random(name.hashCode());
        for (int i = 1; i <= mutants; i++) {
            arguments.add(Arguments.of(Named.of(name + ", mutant " + i, mutant(input, random))));
        }
        return this;
    }

    public Stream<Arguments> stream() {
        return arguments.stream();
    }

    static byte[] mutant(byte[] input, Random random) {
        if (input.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        byte[] bytes = input.clone();
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(5)) {
            case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes[at] = BOUNDARIES[random.nextInt(BOUNDARIES.length)];
            case 2 -> bytes = Arrays.copyOf(bytes, at);
            case 3 -> {
                int length = Math.min(1 + random.nextInt(16), bytes.length - at);
                byte[] longer = Arrays.copyOf(bytes, bytes.length + length);
                System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                bytes = longer;
            }
            default -> {
                int value = random.nextBoolean() ? -1 : 0x00010001;
                for (int i = 0; i < 4 && at + i < bytes.length; i++) {
                    bytes[at + i] = (byte) (value >>> (24 - 8 * i));
                }
            }
        }
        return bytes;
    }
}
