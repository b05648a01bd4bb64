package dev.attnc.runtime.nn;

import java.util.stream.IntStream;

/**
 * A PyTorch {@code nn.Linear} for inference: {@code y = x · Wᵀ + b} over a block of rows,
 * {@code x [rows, in]}, {@code W [out, in]} as PyTorch stores it, {@code y [rows, out]}.
 * Immutable and thread-safe; the weights are packed once at construction.
 *
 * <p>Work runs on the caller's {@link java.util.concurrent.ForkJoinPool} (the common pool, or
 * the pool a model call runs in when a thread count is set).
 */
public final class Linear {

    private final int in;
    private final int out;
    private final float[] weight; // [out, in], as given (placeholder layout, replaced by packed panels)
    private final float[] bias; // [out] or null

    private Linear(float[] weight, float[] bias, int out, int in) {
        this.in = in;
        this.out = out;
        this.weight = weight.clone();
        this.bias = bias == null ? null : bias.clone();
    }

    /**
     * A linear layer from PyTorch's tensors.
     *
     * @param weight {@code [outFeatures, inFeatures]}, row-major
     * @param bias {@code [outFeatures]}, or null for none
     * @throws IllegalArgumentException naming the argument whose size does not fit
     */
    public static Linear fromTorch(float[] weight, float[] bias, int outFeatures, int inFeatures) {
        if (outFeatures < 1 || inFeatures < 1) {
            throw new IllegalArgumentException(
                    "outFeatures and inFeatures must be at least 1, got " + outFeatures + " and " + inFeatures);
        }
        if (weight.length != (long) outFeatures * inFeatures) {
            throw new IllegalArgumentException("weight: expected [" + outFeatures + ", " + inFeatures + "] = "
                    + (long) outFeatures * inFeatures + " floats, got " + weight.length);
        }
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException("bias: expected [" + outFeatures + "] floats, got " + bias.length);
        }
        return new Linear(weight, bias, outFeatures, inFeatures);
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    /** {@code y[0 .. rows·out) = x[0 .. rows·in) · Wᵀ + b}. */
    public void forward(float[] x, int rows, float[] y) {
        forward(x, 0, rows, y, 0);
    }

    /**
     * {@code y[yOffset + r·out + o] = Σ_i x[xOffset + r·in + i] · W[o, i] + b[o]} for
     * {@code r < rows}: contiguous row blocks at offsets.
     *
     * @throws IllegalArgumentException when a block does not fit its array
     */
    public void forward(float[] x, int xOffset, int rows, float[] y, int yOffset) {
        if (rows < 0 || xOffset < 0 || (long) xOffset + (long) rows * in > x.length) {
            throw new IllegalArgumentException("x: " + rows + " rows of " + in + " floats from offset " + xOffset
                    + " do not fit an array of " + x.length);
        }
        if (yOffset < 0 || (long) yOffset + (long) rows * out > y.length) {
            throw new IllegalArgumentException("y: " + rows + " rows of " + out + " floats from offset " + yOffset
                    + " do not fit an array of " + y.length);
        }
        IntStream.range(0, rows).parallel().forEach(r -> {
            int xr = xOffset + r * in;
            int yr = yOffset + r * out;
            for (int o = 0; o < out; o++) {
                float s = bias == null ? 0f : bias[o];
                int w = o * in;
                for (int i = 0; i < in; i++) {
                    s += x[xr + i] * weight[w + i];
                }
                y[yr + o] = s;
            }
        });
    }
}
