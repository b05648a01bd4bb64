package dev.attnc.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.runtime.kernel.VectorMath;
import dev.attnc.runtime.testing.SeededTries;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Linear#forward(float[], int, int, float[], int)} on random shapes with the blocks at
 * random offsets inside bigger arrays: the target block matches the double reference
 * ({@link LinearReference}, tolerance stated there), every float of {@code y} outside it keeps
 * its sentinel bits, and {@code x} around its block is NaN, so a read outside the block would
 * show as NaN in the result.
 */
class LinearProperties {

    record Case(int rows, int in, int out, boolean bias, int xOffset, int xSlack, int yOffset, int ySlack, long seed) {}

    @TestFactory
    Stream<DynamicTest> offsetBlocksMatchTheReferenceAndNothingElseIsWritten() {
        return SeededTries.forAll(
                150,
                g -> new Case(
                        g.intBetween(0, 40),
                        g.intBetween(1, 200),
                        g.intBetween(1, 300),
                        g.chance(0.7),
                        g.intBetween(0, 70),
                        g.intBetween(0, 70),
                        g.intBetween(0, 70),
                        g.intBetween(0, 70),
                        g.longBetween(0, 1L << 40)),
                LinearProperties::check);
    }

    private static void check(Case c) {
        SplittableRandom rnd = new SplittableRandom(c.seed());
        float[] w = LinearReference.random(rnd, c.out() * c.in());
        float[] b = c.bias() ? LinearReference.random(rnd, c.out()) : null;
        float[] x = new float[c.xOffset() + c.rows() * c.in() + c.xSlack()];
        Arrays.fill(x, Float.NaN);
        System.arraycopy(LinearReference.random(rnd, c.rows() * c.in()), 0, x, c.xOffset(), c.rows() * c.in());
        float[] y = new float[c.yOffset() + c.rows() * c.out() + c.ySlack()];
        float sentinel = -12345.5f;
        Arrays.fill(y, sentinel);

        Linear.fromTorch(w, b, c.out(), c.in()).forward(x, c.xOffset(), c.rows(), y, c.yOffset());

        LinearReference.check(VectorMath.describe(), x, c.xOffset(), w, b, c.rows(), c.in(), c.out(), y, c.yOffset());
        int end = c.yOffset() + c.rows() * c.out();
        for (int i = 0; i < y.length; i++) {
            if (i < c.yOffset() || i >= end) {
                assertEquals(sentinel, y[i], "y[" + i + "] outside the block [" + c.yOffset() + ", " + end + ")");
            }
        }
    }
}
