package dev.attnc.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.runtime.kernel.VectorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Linear} against the double-precision reference ({@link LinearReference}, tolerance
 * stated there) on shapes around the kernel's boundaries: rows around the register block (4)
 * and the tile ({@link GemmTiles#MC}), output widths around the panel ({@link GemmKernel#PANEL}
 * = 4 vectors: 64 floats at 512 bits, 32 at 256, 16 at 128), input widths around the feature
 * range ({@link GemmTiles#KC} = 2048: one range up to it, then equal ranges). The runtime's build runs this class again with
 * {@code -Dattnc.vector.bits=128} and {@code 256} (the species is a static final).
 */
class LinearTest {

    private static final int[] ROWS = {0, 1, 2, 3, 4, 5, 17};
    private static final int[] IN = {1, 3, 15, 16, 17, 33, 64};
    private static final int[] OUT = {1, 3, 15, 16, 17, 33, 64, 65, 127, 129, 193};

    @TestFactory
    Stream<DynamicTest> smallShapesMatchTheDoubleReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int rows : ROWS) {
            for (int in : IN) {
                for (int out : OUT) {
                    boolean withBias = (rows + in + out) % 2 == 0;
                    tests.add(DynamicTest.dynamicTest(
                            "rows " + rows + ", in " + in + ", out " + out + (withBias ? "" : ", no bias"),
                            () -> checkShape(rows, in, out, withBias, 7L * rows + 131L * in + 1009L * out)));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> modelSizedShapesMatchTheDoubleReference() {
        int[][] shapes = {
            {5, 768, 768},
            {17, 767, 770},
            {17, 769, 63},
            {2, 3072, 768},
            {33, 64, 3072},
            {97, 768, 130},
            {3, 2049, 129},
            {6, 4097, 70},
            {1, 2048, 65}
        };
        return Arrays.stream(shapes)
                .map(s -> DynamicTest.dynamicTest(
                        "rows " + s[0] + ", in " + s[1] + ", out " + s[2],
                        () -> checkShape(s[0], s[1], s[2], s[1] % 2 == 0, s[0] + s[1] + s[2])));
    }

    private static void checkShape(int rows, int in, int out, boolean withBias, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = LinearReference.random(rnd, out * in);
        float[] b = withBias ? LinearReference.random(rnd, out) : null;
        float[] x = LinearReference.random(rnd, rows * in);
        float[] y = new float[rows * out];
        Arrays.fill(y, Float.NaN);
        Linear linear = Linear.fromTorch(w, b, out, in);
        assertEquals(in, linear.inFeatures());
        assertEquals(out, linear.outFeatures());
        linear.forward(x, rows, y);
        LinearReference.check(VectorMath.describe(), x, 0, w, b, rows, in, out, y, 0);
    }

    /**
     * Several row tiles and panel chunks (a partial last row tile and a partial last panel), on
     * the common pool and inside pools of 1 and 3 threads: the same bits every time (the sum
     * order of an output does not depend on the schedule), and the reference's values.
     */
    @Test
    void everyPoolGivesTheSameBits() throws Exception {
        int rows = GemmTiles.MC * 2 + 9;
        int in = 300;
        int out = GemmKernel.PANEL * 17 + 5;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] w = LinearReference.random(rnd, out * in);
        float[] b = LinearReference.random(rnd, out);
        float[] x = LinearReference.random(rnd, rows * in);
        Linear linear = Linear.fromTorch(w, b, out, in);
        float[] common = new float[rows * out];
        linear.forward(x, rows, common);
        LinearReference.check("common pool", x, 0, w, b, rows, in, out, common, 0);
        for (int threads : new int[] {1, 3}) {
            float[] y = new float[rows * out];
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(() -> linear.forward(x, rows, y)).get();
            } finally {
                pool.shutdown();
            }
            assertArrayEquals(common, y, "a pool of " + threads + " threads");
        }
    }

    /** x and y as blocks inside one array, and the packed copy unaffected by later writes to the inputs. */
    @Test
    void blocksShareAnArrayAndInputsAreCopied() {
        int rows = 6;
        int in = 40;
        int out = 70;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] w = LinearReference.random(rnd, out * in);
        float[] b = LinearReference.random(rnd, out);
        float[] wCopy = w.clone();
        float[] bCopy = b.clone();
        Linear linear = Linear.fromTorch(w, b, out, in);
        Arrays.fill(w, 100f);
        Arrays.fill(b, 100f);
        float[] both = new float[3 + rows * in + rows * out + 2];
        float[] x = LinearReference.random(rnd, rows * in);
        System.arraycopy(x, 0, both, 3, x.length);
        int yOffset = 3 + rows * in;
        linear.forward(both, 3, rows, both, yOffset);
        LinearReference.check("shared array", x, 0, wCopy, bCopy, rows, in, out, both, yOffset);
        assertArrayEquals(x, Arrays.copyOfRange(both, 3, 3 + x.length), "x's block is unchanged");
    }

    @Test
    void badArgumentsNameTheArgumentAndTheExpectedSize() {
        float[] w = new float[12];
        assertMessage("weight: expected [3, 4] = 12 floats, got 11", () -> Linear.fromTorch(new float[11], null, 3, 4));
        assertMessage("bias: expected [3] floats, got 4", () -> Linear.fromTorch(w, new float[4], 3, 4));
        assertMessage(
                "outFeatures and inFeatures must be at least 1, got 0 and 4",
                () -> Linear.fromTorch(new float[0], null, 0, 4));
        assertMessage(
                "outFeatures and inFeatures must be at least 1, got 3 and 0",
                () -> Linear.fromTorch(new float[0], null, 3, 0));
        Linear linear = Linear.fromTorch(w, null, 3, 4);
        assertMessage("rows: expected at least 0, got -1", () -> linear.forward(new float[8], -1, new float[6]));
        assertMessage(
                "x: expected 2 rows of 4 floats from offset 0 (8 floats), got an array of 7",
                () -> linear.forward(new float[7], 2, new float[6]));
        assertMessage(
                "x: expected 2 rows of 4 floats from offset 1 (9 floats), got an array of 8",
                () -> linear.forward(new float[8], 1, 2, new float[6], 0));
        assertMessage(
                "x: expected 2 rows of 4 floats from offset -1 (7 floats), got an array of 8",
                () -> linear.forward(new float[8], -1, 2, new float[6], 0));
        assertMessage(
                "y: expected 2 rows of 3 floats from offset 0 (6 floats), got an array of 5",
                () -> linear.forward(new float[8], 2, new float[5]));
        assertMessage(
                "y: expected 2 rows of 3 floats from offset -2 (4 floats), got an array of 6",
                () -> linear.forward(new float[8], 0, 2, new float[6], -2));
    }

    @Test
    void zeroRowsWritesNothing() {
        Linear linear = Linear.fromTorch(new float[] {1, 2, 3, 4, 5, 6}, new float[] {1, 1}, 2, 3);
        float[] y = {7, 7};
        linear.forward(new float[0], 0, 0, y, 2);
        assertArrayEquals(new float[] {7, 7}, y);
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
