package dev.attnc.runtime;

import java.util.Random;

/** Deterministic random inputs for the runtime's tests. */
final class TestArrays {

    private TestArrays() {}

    /** {@code size} standard-normal floats from {@code seed}. */
    static float[] gaussian(int size, long seed) {
        Random r = new Random(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
