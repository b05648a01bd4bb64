package dev.attnc.runtime;

import java.util.Arrays;

/**
 * The oracle of additive (Fastformer) kernels, in double precision, following the official
 * code as docs/DESIGN.md §3 states it. For each batch item, with {@code E = H·d} and the token's
 * query {@code q_i} over all heads:
 * <pre>
 *   a[i,h] = (W_qa·q_i + b_qa)[h] · scale        α[·,h] = softmax over valid i
 *   g_q[h] = Σ_i α[i,h] q_i[h]                   p_i[h] = g_q[h] ⊙ k_i[h]
 *   b[i,h] = (W_ka·p_i + b_ka)[h] · scale        β[·,h] = softmax over valid i
 *   g_k[h] = Σ_i β[i,h] p_i[h]                   u_i[h] = g_k[h] ⊙ v_i[h]
 *   out_i  = W_r u_i + b_r + q_i   (or u_i without an output transform)
 * </pre>
 * Per-head vectors {@code w_q [H, d]} score head {@code h} from {@code q_i[h]} alone. Padding
 * tokens get no pooling weight and output 0. Cost O(n·E) (plus O(n·E²) for {@code W_r}).
 */
public final class AdditiveReference {

    private AdditiveReference() {}

    /** The output, token-major {@code [B, L, H·d]}. */
    public static double[] attention(AdditiveInputs in, double scale) {
        int H = in.shape().heads();
        int d = in.shape().headDim();
        int E = H * d;
        int L = in.shape().length();
        double[] out = new double[in.shape().batch() * L * E];
        for (int b = 0; b < in.shape().batch(); b++) {
            int base = b * L * E;
            double[][] p = new double[L][E];
            double[] gq = pool(in, b, scale, in.wqa(), in.bqa(), (i, x) -> in.q()[base + i * E + x]);
            for (int i = 0; i < L; i++) {
                for (int x = 0; x < E; x++) {
                    p[i][x] = gq[x] * in.k()[base + i * E + x];
                }
            }
            double[] gk = pool(in, b, scale, in.wka(), in.bka(), (i, x) -> p[i][x]);
            double[] u = new double[E];
            for (int i = 0; i < L; i++) {
                if (!in.isValid(b, i)) {
                    continue;
                }
                for (int x = 0; x < E; x++) {
                    u[x] = gk[x] * in.v()[base + i * E + x];
                }
                for (int y = 0; y < E; y++) {
                    double o;
                    if (in.wr() == null) {
                        o = u[y];
                    } else {
                        o = in.br()[y] + in.q()[base + i * E + y];
                        for (int x = 0; x < E; x++) {
                            o += (double) in.wr()[y * E + x] * u[x];
                        }
                    }
                    out[base + i * E + y] = o;
                }
            }
        }
        return out;
    }

    private interface Token {
        double at(int i, int x);
    }

    /** {@code g[h] = Σ_i softmax_i(score(i,h)) t_i[h]}, over the valid tokens of batch item {@code b}. */
    private static double[] pool(AdditiveInputs in, int b, double scale, float[] w, float[] bias, Token t) {
        int H = in.shape().heads();
        int d = in.shape().headDim();
        int E = H * d;
        int L = in.shape().length();
        double[][] score = new double[H][L];
        double[] max = new double[H];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < L; i++) {
            if (!in.isValid(b, i)) {
                continue;
            }
            for (int h = 0; h < H; h++) {
                double s = bias[h];
                if (in.perHeadVectors()) {
                    for (int x = 0; x < d; x++) {
                        s += (double) w[h * d + x] * t.at(i, h * d + x);
                    }
                } else {
                    for (int x = 0; x < E; x++) {
                        s += (double) w[h * E + x] * t.at(i, x);
                    }
                }
                score[h][i] = s * scale;
                max[h] = Math.max(max[h], score[h][i]);
            }
        }
        double[] g = new double[E];
        for (int h = 0; h < H; h++) {
            if (max[h] == Double.NEGATIVE_INFINITY) {
                continue; // no valid token: nothing to pool
            }
            double sum = 0;
            for (int i = 0; i < L; i++) {
                if (in.isValid(b, i)) {
                    sum += Math.exp(score[h][i] - max[h]);
                }
            }
            for (int i = 0; i < L; i++) {
                if (!in.isValid(b, i)) {
                    continue;
                }
                double a = Math.exp(score[h][i] - max[h]) / sum;
                for (int x = 0; x < d; x++) {
                    g[h * d + x] += a * t.at(i, h * d + x);
                }
            }
        }
        return g;
    }
}
