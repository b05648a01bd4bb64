package dev.attnc.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The layer's wiring, post-norm and pre-norm, against the formulas in double precision, with a
 * stand-in attention block (context = hidden·A, a fixed linear map, so the test needs no kernel).
 * Tolerance 1e-4 absolute + 1e-4 relative (float32 GEMMs of length ≤ 48 and layer norms).
 */
class EncoderLayerTest {

    static final int H = 24;
    static final int I = 48;

    @Test
    void postNormAndPreNormMatchTheirFormulas() {
        Random r = new Random(5);
        double[][] a = matrix(r, H, H);
        double[][] wo = matrix(r, H, H);
        double[][] w1 = matrix(r, I, H);
        double[][] w2 = matrix(r, H, I);
        double[] bo = vector(r, H);
        double[] b1 = vector(r, I);
        double[] b2 = vector(r, H);
        double[] g1 = vector(r, H);
        double[] be1 = vector(r, H);
        double[] g2 = vector(r, H);
        double[] be2 = vector(r, H);
        AttentionBlock attn = (call, layer, hidden, context) -> {
            for (int t = 0; t < call.rows(); t++) {
                for (int o = 0; o < H; o++) {
                    double s = 0;
                    for (int i = 0; i < H; i++) {
                        s += a[o][i] * hidden[t * H + i];
                    }
                    context[t * H + o] = (float) s;
                }
            }
        };
        for (boolean pre : new boolean[] {false, true}) {
            EncoderLayer layer = new EncoderLayer(
                    attn,
                    Linear.fromTorch(flat(wo), floats(bo), H, H),
                    LayerNorm.of(floats(g1), floats(be1), 1e-5),
                    Linear.fromTorch(flat(w1), floats(b1), I, H),
                    Activation.GELU,
                    Linear.fromTorch(flat(w2), floats(b2), H, I),
                    LayerNorm.of(floats(g2), floats(be2), 1e-5),
                    pre);
            int rows = 7;
            Workspace ws = new Workspace(rows, H, I, 2);
            double[][] x = new double[rows][H];
            for (int t = 0; t < rows; t++) {
                for (int i = 0; i < H; i++) {
                    x[t][i] = r.nextGaussian();
                    ws.hiddenStates[t * H + i] = (float) x[t][i];
                }
            }
            boolean[] valid = new boolean[rows];
            java.util.Arrays.fill(valid, true);
            layer.forward(new EncoderCall(1, rows, valid, null, null, ws), 0);
            for (int t = 0; t < rows; t++) {
                double[] want;
                if (!pre) {
                    double[] h1 = norm(add(linear(wo, bo, mul(a, x[t])), x[t]), g1, be1);
                    want = norm(add(linear(w2, b2, gelu(linear(w1, b1, h1))), h1), g2, be2);
                } else {
                    double[] h1 = add(x[t], linear(wo, bo, mul(a, norm(x[t], g1, be1))));
                    want = add(h1, linear(w2, b2, gelu(linear(w1, b1, norm(h1, g2, be2)))));
                }
                for (int i = 0; i < H; i++) {
                    assertEquals(
                            want[i],
                            ws.hiddenStates[t * H + i],
                            1e-4 + 1e-4 * Math.abs(want[i]),
                            (pre ? "pre" : "post") + "-norm row " + t + " col " + i);
                }
            }
        }
    }

    static double[] mul(double[][] m, double[] v) {
        return linear(m, new double[m.length], v);
    }

    static double[] linear(double[][] w, double[] b, double[] x) {
        double[] y = new double[w.length];
        for (int o = 0; o < w.length; o++) {
            y[o] = b[o];
            for (int i = 0; i < x.length; i++) {
                y[o] += w[o][i] * x[i];
            }
        }
        return y;
    }

    static double[] add(double[] x, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i] + y[i];
        }
        return z;
    }

    static double[] gelu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.5 * x[i] * (1 + ActivationAndNormTest.erf(x[i] / Math.sqrt(2)));
        }
        return y;
    }

    static double[] norm(double[] x, double[] g, double[] b) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * g[i] + b[i];
        }
        return y;
    }

    static double[][] matrix(Random r, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) (r.nextGaussian() / Math.sqrt(cols));
            }
        }
        return m;
    }

    static double[] vector(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static float[] flat(double[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int o = 0; o < m.length; o++) {
            for (int i = 0; i < m[0].length; i++) {
                f[o * m[0].length + i] = (float) m[o][i];
            }
        }
        return f;
    }
}
