package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.Random;

/**
 * The inputs of one engine test call, drawn from {@code seed}: q, k (uniform in
 * {@code ±valueScale}) and v (in ±1); optionally padding (batch item 0 unpadded, the others cut
 * anywhere, plus holes), a runtime global mask, separate global projections qg, kg, vg.
 */
record TestCall(
        int batch,
        int heads,
        int n,
        int headDim,
        TensorLayout layout,
        boolean padding,
        boolean runtimeGlobals,
        boolean globalProjections,
        float valueScale,
        long seed) {

    AttentionShape shape() {
        return new AttentionShape(batch, heads, n, headDim);
    }

    AttentionInputs inputs() {
        Random rnd = new Random(seed);
        AttentionShape shape = shape();
        int size = shape.elements();
        AttentionInputs.Builder b = AttentionInputs.builder(shape, layout)
                .qkv(uniform(rnd, size, valueScale), uniform(rnd, size, valueScale), uniform(rnd, size, 1f));
        if (globalProjections) {
            b.globalProjections(uniform(rnd, size, valueScale), uniform(rnd, size, valueScale), uniform(rnd, size, 1f));
        }
        if (padding) {
            boolean[] valid = new boolean[batch * n];
            for (int x = 0; x < batch; x++) {
                int len = x == 0 ? n : rnd.nextInt(n + 1);
                for (int i = 0; i < n; i++) {
                    valid[x * n + i] = i < len && (n < 8 || rnd.nextInt(8) != 0);
                }
            }
            b.keyValid(valid);
        }
        if (runtimeGlobals) {
            boolean[] g = new boolean[batch * n];
            for (int x = 0; x < g.length; x++) {
                g[x] = rnd.nextInt(Math.max(4, n / 6)) == 0;
            }
            b.globalMask(g);
        }
        return b.build();
    }

    private static float[] uniform(Random rnd, int size, float scale) {
        float[] a = new float[size];
        for (int x = 0; x < size; x++) {
            a[x] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
