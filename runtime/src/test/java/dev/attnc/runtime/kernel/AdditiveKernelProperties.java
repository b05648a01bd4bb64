package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.testing.Gen;
import dev.attnc.runtime.testing.SeededTries;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The additive (Fastformer) engine against the double-precision {@link AdditiveReference} on
 * seeded random shapes: batch 1-3, 1-16 heads, head dims around and between the vector widths,
 * lengths that divide nothing (up to 4099, several pooling tiles and threads), pooling matrices
 * and per-head vectors, shared and separate values, with and without {@code W_r}, padding in
 * runs and holes, and items that are all padding. Inputs are uniform in [−1, 1), {@code W_r}
 * scaled by {@code 1/√E} so that outputs are O(1); the tolerance is {@code 2e-4·(1 + |want|)}
 * per element (float FMA chains over E features and {@code VectorMath.exp2}'s 4e-6 relative
 * error in the softmax weights, against double precision). Padding rows must be exactly 0.
 * The build runs this class again on 128-bit vectors (runtime/pom.xml).
 */
class AdditiveKernelProperties {

    private static final int[] LENGTHS = {1, 2, 3, 17, 63, 64, 65, 257, 1000, 4099};
    private static final int[] HEAD_DIMS = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 32, 33, 64};

    /** One drawn case. */
    record Case(
            int batch,
            int heads,
            int headDim,
            int n,
            boolean vectors,
            boolean sharedValue,
            boolean transform,
            int padding,
            long seed) {

        AdditiveInputs inputs() {
            Random rnd = new Random(seed);
            int e = heads * headDim;
            int size = batch * n * e;
            AdditiveInputs.Builder b = AdditiveInputs.builder(new AttentionShape(batch, heads, n, headDim))
                    .qkv(rand(rnd, size, 1), rand(rnd, size, 1), sharedValue ? null : rand(rnd, size, 1));
            int w = vectors ? heads * headDim : heads * e;
            if (vectors) {
                b.poolingVectors(rand(rnd, w, 1), rand(rnd, heads, 1), rand(rnd, w, 1), rand(rnd, heads, 1));
            } else {
                b.poolingMatrices(rand(rnd, w, 1), rand(rnd, heads, 1), rand(rnd, w, 1), rand(rnd, heads, 1));
            }
            if (transform) {
                b.outputTransform(rand(rnd, e * e, (float) (1 / Math.sqrt(e))), rand(rnd, e, 1));
            }
            if (padding > 0) {
                b.keyValid(mask(rnd));
            }
            return b.build();
        }

        /** 1: a padded tail per item; 2: random holes and runs, item 0 all padding when batch > 1. */
        private boolean[] mask(Random rnd) {
            boolean[] valid = new boolean[batch * n];
            for (int b = 0; b < batch; b++) {
                int len = 1 + rnd.nextInt(n);
                for (int i = 0; i < n; i++) {
                    valid[b * n + i] = padding == 1 ? i < len : rnd.nextInt(n < 20 ? 3 : 1 + (i / 16) % 4) != 0;
                }
                if (padding == 2 && b == 0 && batch > 1) {
                    Arrays.fill(valid, 0, n, false);
                }
            }
            return valid;
        }
    }

    static Case draw(Gen g) {
        int batch = g.intBetween(1, 3);
        int heads = g.intBetween(1, 16);
        int d = g.oneOf(Arrays.stream(HEAD_DIMS).boxed().toList());
        int n = g.oneOf(Arrays.stream(LENGTHS).boxed().toList());
        boolean vectors = g.chance(0.4);
        boolean transform = g.chance(0.5);
        // Keep the double-precision reference fast: O(B·n·H·E) pooling, O(B·n·E²) for W_r.
        while (heads > 1
                && (long) batch * n * heads * heads * d * (transform ? d + 1 : 1)
                        > (transform ? 30_000_000L : 60_000_000L)) {
            heads--;
        }
        return new Case(batch, heads, d, n, vectors, g.chance(0.5), transform, g.choose(3), g.longBetween(0, 1L << 40));
    }

    @TestFactory
    Stream<DynamicTest> kernelMatchesTheReference() {
        return SeededTries.forAll(80, 0x5eedadd1L, AdditiveKernelProperties::draw, c -> check(c, c.inputs()));
    }

    @Test
    void bigShapesOfTheBenchmarksMatchTheReference() {
        // The official configuration (16 × 16) and a BERT-sized head dim at lengths with many tiles.
        check(new Case(1, 16, 16, 4099, false, true, false, 0, 1), null);
        check(new Case(1, 12, 64, 1000, false, true, true, 0, 2), null);
        check(new Case(2, 4, 64, 1000, true, false, false, 2, 3), null);
    }

    @Test
    void aSingleThreadPoolGivesTheSameResultWithinTolerance() throws Exception {
        Case c = new Case(2, 8, 16, 1000, false, true, true, 2, 4);
        AdditiveInputs in = c.inputs();
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            float[] got = one.submit(() -> kernel(c).compute(in)).get();
            assertClose(c, AdditiveReference.attention(in, scale(c)), got, in);
        } finally {
            one.shutdown();
        }
    }

    @Test
    void newContentsOfTheSameTransformArrayAreUsed() {
        Case c = new Case(1, 2, 8, 65, false, true, true, 0, 5);
        AdditiveInputs in = c.inputs();
        AdditiveKernel k = kernel(c);
        float[] first = k.compute(in);
        for (int x = 0; x < in.wr().length; x++) {
            in.wr()[x] = -in.wr()[x];
        }
        in.br()[0] += 1;
        float[] second = k.compute(in);
        assertClose(c, AdditiveReference.attention(in, scale(c)), second, in);
        assertTrue(!Arrays.equals(first, second), "the cached packing of the old W_r was used");
    }

    private static void check(Case c, AdditiveInputs given) {
        AdditiveInputs in = given != null ? given : c.inputs();
        float[] got = kernel(c).compute(in);
        assertClose(c, AdditiveReference.attention(in, scale(c)), got, in);
    }

    private static void assertClose(Case c, double[] want, float[] got, AdditiveInputs in) {
        int e = c.heads * c.headDim;
        for (int x = 0; x < want.length; x++) {
            int row = x / e;
            if (!in.isValid(row / c.n, row % c.n)) {
                assertEquals(0f, got[x], 0f, "padding row " + row + " of " + c);
                continue;
            }
            double tol = 2e-4 * (1 + Math.abs(want[x]));
            assertEquals(want[x], got[x], tol, "element " + x + " (row " + row + ") of " + c);
        }
    }

    private static double scale(Case c) {
        return 1 / Math.sqrt(c.headDim);
    }

    private static AdditiveKernel kernel(Case c) {
        AdditiveSpec spec = new AdditiveSpec("test", c.headDim, scale(c), 0, c.sharedValue, !c.vectors);
        return new AdditiveAttentionKernel(spec) {};
    }

    /** {@code size} uniform values in {@code [−a, a)}. */
    private static float[] rand(Random rnd, int size, float a) {
        float[] f = new float[size];
        for (int x = 0; x < size; x++) {
            f[x] = (rnd.nextFloat() * 2 - 1) * a;
        }
        return f;
    }
}
