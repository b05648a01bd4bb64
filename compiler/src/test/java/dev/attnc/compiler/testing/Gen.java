package dev.attnc.compiler.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The draws of one case of a property test ({@link SeededTries}), all from one seed. Bounded
 * integers follow a biased distribution like the one the property tests had before (jqwik's
 * default): the range is cut at a third, a ninth, … of the way from the value nearest zero
 * until the pieces are at most 20 wide, a piece is chosen uniformly, then a value in it. Small
 * values (short sequences, few blocks) are common, and the widest piece, reaching the far end,
 * is drawn as often as each of the others (1..300 is cut at 12, 34 and 100). One draw in
 * {@value #EDGE_CASE_ONE_IN} is an edge case instead: either bound, the value nearest zero, or
 * a neighbour of one of them. Ranges at most 20 wide are uniform.
 */
public final class Gen {

    /** One bounded-integer draw in this many is an edge case. */
    static final int EDGE_CASE_ONE_IN = 20;

    private static final int UNIFORM_WIDTH = 20;

    private final SplittableRandom rnd;

    Gen(long seed) {
        rnd = new SplittableRandom(seed);
    }

    /**
     * Any long, small magnitudes common: an edge case (0, ±1, the extremes) one time in
     * {@value #EDGE_CASE_ONE_IN}, otherwise half the time uniform over all longs and half the
     * time of a uniformly chosen bit length and sign.
     */
    public long anyLong() {
        if (rnd.nextInt(EDGE_CASE_ONE_IN) == 0) {
            return oneOf(0L, 1L, -1L, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        }
        if (rnd.nextBoolean()) {
            return rnd.nextLong();
        }
        long magnitude = rnd.nextLong() >>> (1 + rnd.nextInt(63));
        return rnd.nextBoolean() ? magnitude : -magnitude;
    }

    /** A long in {@code [min, max]} ({@code max < Long.MAX_VALUE}), uniformly: seeds for a {@code Random}. */
    public long longBetween(long min, long max) {
        return rnd.nextLong(min, max + 1);
    }

    /** An index in {@code [0, n)}, uniformly: a choice among {@code n} alternatives. */
    public int choose(int n) {
        return rnd.nextInt(n);
    }

    /** One of the values, uniformly. */
    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[rnd.nextInt(values.length)];
    }

    /** One of the values, uniformly. */
    public <T> T oneOf(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    /** An int in {@code [min, max]}, biased towards the value nearest zero (see the class comment). */
    public int intBetween(int min, int max) {
        if (min >= max) {
            return min;
        }
        long target = min > 0 ? min : Math.min(max, 0);
        if (rnd.nextInt(EDGE_CASE_ONE_IN) == 0) {
            long[] edges = {min, min + 1L, target - 1, target, target + 1, max - 1L, max};
            return (int) Math.max(min, Math.min(max, edges[rnd.nextInt(edges.length)]));
        }
        TreeSet<Long> cuts = new TreeSet<>();
        cutTowards(max, target, cuts);
        cutTowards(min, target, cuts);
        if (!cuts.isEmpty()) {
            cuts.add(target);
        }
        cuts.add((long) min);
        cuts.add((long) max);
        Long[] bounds = cuts.toArray(new Long[0]);
        int piece = rnd.nextInt(bounds.length - 1);
        return (int) rnd.nextLong(bounds[piece], bounds[piece + 1] + 1);
    }

    /** Cuts at a third, a ninth, … of the way from {@code end} to {@code target}, until within 20. */
    private static void cutTowards(long end, long target, TreeSet<Long> cuts) {
        long p = end;
        while (Math.abs(p - target) > UNIFORM_WIDTH) {
            p = target + (p - target) / 3;
            cuts.add(p);
        }
    }

    /** An array of at most {@code maxSize} ints in {@code [min, max]}; sizes and values as {@link #intBetween}. */
    public int[] ints(int maxSize, int min, int max) {
        int[] a = new int[intBetween(0, maxSize)];
        for (int i = 0; i < a.length; i++) {
            a[i] = intBetween(min, max);
        }
        return a;
    }
}
