package dev.attnc.runtime.testing.reference;

import java.util.Arrays;
import java.util.Map;

/**
 * The weights of one model, checked once against the names and shapes the model needs, and the
 * operations that read them: {@code nn.Linear} ({@code y = x Wᵀ + b}, {@code W} row-major
 * {@code [out, in]}), {@code nn.LayerNorm} (biased variance) and {@code nn.Embedding} rows. Every
 * product is accumulated in double.
 */
final class Checkpoint {

    private final Map<String, float[]> tensors;
    private final Map<String, long[]> shapes;

    /**
     * @throws IllegalArgumentException naming the first tensor that is missing or whose size is
     *     not its expected shape's
     */
    Checkpoint(Map<String, float[]> tensors, Map<String, long[]> shapes) {
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            float[] t = tensors.get(e.getKey());
            long size = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (t == null) {
                throw new IllegalArgumentException(
                        "missing tensor " + e.getKey() + " (expected shape " + Arrays.toString(e.getValue()) + ")");
            }
            if (t.length != size) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has " + t.length
                        + " elements, expected shape " + Arrays.toString(e.getValue()) + " = " + size);
            }
        }
        this.tensors = tensors;
        this.shapes = shapes;
    }

    /**
     * The rows of embedding table {@code name} ({@code [rows, width]}) in {@code tensors}.
     *
     * @throws IllegalArgumentException if it is missing or its size is not a multiple of width
     */
    static int tableRows(Map<String, float[]> tensors, String name, int width) {
        float[] t = tensors.get(name);
        if (t == null || t.length == 0 || t.length % width != 0) {
            throw new IllegalArgumentException("tensor " + name + " must be [rows, " + width + "], has "
                    + (t == null ? "no entry" : t.length + " elements"));
        }
        return t.length / width;
    }

    /** Row {@code index} of embedding table {@code name}, as doubles. */
    double[] row(String name, int index) {
        long[] shape = shape(name);
        if (index < 0 || index >= shape[0]) {
            throw new IllegalArgumentException("index " + index + " is outside " + name + "'s " + shape[0] + " rows");
        }
        int width = (int) shape[1];
        float[] t = tensors.get(name);
        double[] r = new double[width];
        for (int x = 0; x < width; x++) {
            r[x] = t[index * width + x];
        }
        return r;
    }

    /** {@code nn.Linear} {@code prefix} ({@code prefix.weight}, {@code prefix.bias}) on one row. */
    double[] linear(String prefix, double[] x) {
        long[] shape = shape(prefix + ".weight");
        int out = (int) shape[0];
        int in = (int) shape[1];
        if (x.length != in) {
            throw new IllegalArgumentException(prefix + " takes " + in + " features, got " + x.length);
        }
        float[] w = tensors.get(prefix + ".weight");
        float[] b = tensors.get(prefix + ".bias");
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = 0;
            for (int k = 0; k < in; k++) {
                s += (double) w[o * in + k] * x[k];
            }
            y[o] = s + b[o];
        }
        return y;
    }

    /** {@code nn.Linear} {@code prefix} on every row. */
    double[][] linear(String prefix, double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = linear(prefix, x[i]);
        }
        return y;
    }

    /** {@code nn.LayerNorm} {@code prefix} on every row: {@code (x − mean) / √(var + eps) · weight + bias}. */
    double[][] layerNorm(String prefix, double[][] x, double eps) {
        float[] g = tensors.get(prefix + ".weight");
        float[] b = tensors.get(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int n = x[i].length;
            if (n != g.length) {
                throw new IllegalArgumentException(prefix + " normalizes " + g.length + " features, got " + n);
            }
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= n;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + eps);
            y[i] = new double[n];
            for (int k = 0; k < n; k++) {
                y[i][k] = (x[i][k] - mean) * inv * g[k] + b[k];
            }
        }
        return y;
    }

    private long[] shape(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException("the model reads " + name + ", which its shape table lacks");
        }
        return s;
    }
}
