package dev.attnc.runtime.nn;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import java.util.stream.IntStream;

/**
 * Adds back the keys a BigBird random table repeats ({@link BigBirdLayout#repeats}): the kernel
 * gave each row its softmax over the set of keys, {@code o = Σ e^{s_j} v_j / Z} with {@code ln Z =
 * lse}; a key counted {@code 1 + c} times adds {@code c·e^{s_j}} to both sums. Merged in a stable
 * way (largest exponent first). Scores use the kernel's scale {@code 1/sqrt(d)}; padding keys are
 * skipped. Token-major layout {@code [B, L, H·d]}.
 */
final class RepeatedKeys {

    private RepeatedKeys() {}

    static void addBack(AttentionInputs in, BigBirdLayout layout, float[] lse, float[] out) {
        AttentionShape s = in.shape();
        int nb = layout.blocks();
        int block = layout.block();
        IntStream.range(0, s.batch() * nb).parallel().forEach(task -> {
            int b = task / nb;
            int qb = task % nb;
            for (int h = 0; h < s.heads(); h++) {
                int[] pairs = layout.repeats(h, qb);
                if (pairs.length == 0) {
                    continue;
                }
                int end = Math.min((qb + 1) * block, s.length());
                for (int i = qb * block; i < end; i++) {
                    if (in.isValid(b, i)) {
                        row(in, pairs, block, lse, out, b, h, i);
                    }
                }
            }
        });
    }

    private static void row(AttentionInputs in, int[] pairs, int block, float[] lse, float[] out, int b, int h, int i) {
        AttentionShape s = in.shape();
        int d = s.headDim();
        int hd = s.heads() * d;
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] q = in.q();
        float[] k = in.k();
        float[] v = in.v();
        int qo = (b * s.length() + i) * hd + h * d;
        float rowLse = lse[(b * s.heads() + h) * s.length() + i];
        // Scores of the repeated keys, each with its weight ln(c).
        int extra = 0;
        for (int p = 0; p < pairs.length; p += 2) {
            extra += Math.max(0, Math.min(block, s.length() - pairs[p] * block));
        }
        float[] score = new float[extra];
        int[] at = new int[extra];
        int n = 0;
        float max = rowLse;
        for (int p = 0; p < pairs.length; p += 2) {
            int kb = pairs[p];
            float lnc = (float) Math.log(pairs[p + 1]);
            int end = Math.min((kb + 1) * block, s.length());
            for (int j = kb * block; j < end; j++) {
                if (!in.isValid(b, j)) {
                    continue;
                }
                int ko = (b * s.length() + j) * hd + h * d;
                score[n] = FoldedGlobalRows.dot(q, qo, k, ko, d) * scale + lnc;
                at[n] = ko;
                max = Math.max(max, score[n]);
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        float wSet = Float.isInfinite(rowLse) ? 0f : (float) Math.exp(rowLse - max);
        double z = wSet;
        float[] acc = new float[d];
        FoldedGlobalRows.axpy(wSet, out, qo, acc, 0, d);
        for (int t = 0; t < n; t++) {
            float w = (float) Math.exp(score[t] - max);
            z += w;
            FoldedGlobalRows.axpy(w, v, at[t], acc, 0, d);
        }
        float inv = (float) (1.0 / z);
        for (int x = 0; x < d; x++) {
            out[qo + x] = acc[x] * inv;
        }
    }
}
