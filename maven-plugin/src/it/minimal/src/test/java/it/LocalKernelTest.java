package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.Kernels;
import dev.attnc.runtime.TensorLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kernel the plugin generated, found through ServiceLoader, against attention written out by hand. */
class LocalKernelTest {

    @Test
    void theGeneratedKernelComputesWindowAttention() {
        AttentionKernel k = Kernels.attention("local");
        int n = 23;
        int d = 16;
        Random rnd = new Random(7);
        float[] q = new float[n * d];
        float[] kk = new float[n * d];
        float[] v = new float[n * d];
        for (int x = 0; x < n * d; x++) {
            q[x] = rnd.nextFloat() - 0.5f;
            kk[x] = rnd.nextFloat() - 0.5f;
            v[x] = rnd.nextFloat() - 0.5f;
        }
        float[] out = k.compute(AttentionInputs.builder(new AttentionShape(1, 1, n, d), TensorLayout.BHLD).qkv(q, kk, v).build());
        for (int i = 0; i < n; i++) {
            double[] s = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 2); j++) {
                for (int x = 0; x < d; x++) {
                    s[j] += q[i * d + x] * kk[j * d + x] / 4.0;
                }
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            double[] o = new double[d];
            for (int j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 2); j++) {
                double p = Math.exp(s[j] - max);
                sum += p;
                for (int x = 0; x < d; x++) {
                    o[x] += p * v[j * d + x];
                }
            }
            for (int x = 0; x < d; x++) {
                assertEquals(o[x] / sum, out[i * d + x], 1e-5, "row " + i + " column " + x);
            }
        }
    }
}
