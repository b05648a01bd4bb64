package dev.attnc.runtime.nn;

import java.util.Objects;

/**
 * A PyTorch {@code nn.Linear} for inference: {@code y = x · Wᵀ + b} over a block of rows,
 * {@code x [rows, in]}, {@code W [out, in]} as PyTorch stores it, {@code y [rows, out]}.
 * Immutable and thread-safe; the weights are packed once at construction.
 *
 * <p>Work runs on the caller's {@link java.util.concurrent.ForkJoinPool} (the common pool, or
 * the pool a model call runs in when a thread count is set).
 *
 * <p>The product is a blocked fp32 GEMM on the Vector API ({@link PackedWeights},
 * {@link GemmKernel}, {@link GemmTiles}; design and measurements in docs/GEMM.md). Each output
 * is a float FMA chain over the input features in ranges of {@link GemmTiles#KC}, started from
 * the bias: results do not depend on the thread count or on how rows are blocked, and differ
 * from a double-precision product by at most the rounding of such a chain.
 */
public final class Linear {

    private final int in;
    private final int out;
    private final PackedWeights weights;

    private Linear(PackedWeights weights) {
        this.in = weights.in;
        this.out = weights.out;
        this.weights = weights;
    }

    /**
     * A linear layer from PyTorch's tensors (copied and packed: later changes to the arrays do
     * not reach the layer).
     *
     * @param weight {@code [outFeatures, inFeatures]}, row-major
     * @param bias {@code [outFeatures]}, or null for none
     * @throws IllegalArgumentException naming the argument whose size does not fit
     */
    public static Linear fromTorch(float[] weight, float[] bias, int outFeatures, int inFeatures) {
        Objects.requireNonNull(weight, "weight");
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
        return new Linear(new PackedWeights(weight, bias, outFeatures, inFeatures));
    }

    /** {@code in}: the width of a row of {@code x}. */
    public int inFeatures() {
        return in;
    }

    /** {@code out}: the width of a row of {@code y}. */
    public int outFeatures() {
        return out;
    }

    /** {@code y[0 .. rows·out) = x[0 .. rows·in) · Wᵀ + b}; see {@link #forward(float[], int, int, float[], int)}. */
    public void forward(float[] x, int rows, float[] y) {
        forward(x, 0, rows, y, 0);
    }

    /**
     * {@code y[yOffset + r·out + o] = Σ_i x[xOffset + r·in + i] · W[o, i] + b[o]} for
     * {@code r < rows}: contiguous row blocks at offsets. Reads only the {@code rows · in}
     * floats of {@code x} from {@code xOffset} and writes only the {@code rows · out} floats of
     * {@code y} from {@code yOffset}; {@code rows = 0} does nothing. The two blocks must
     * not overlap (they may lie in one array).
     *
     * @throws IllegalArgumentException when {@code rows} or an offset is negative, or a block does
     *     not fit its array
     */
    public void forward(float[] x, int xOffset, int rows, float[] y, int yOffset) {
        checkBlocks(x, xOffset, rows, y, yOffset);
        GemmTiles.multiply(weights, x, xOffset, rows, y, yOffset, true);
    }

    /**
     * {@link #forward(float[], int, int, float[], int)} on the calling thread alone, for callers
     * that already run row blocks in parallel (the additive kernel's output transform). The
     * result is bit-identical to {@code forward}'s.
     *
     * @throws IllegalArgumentException as {@code forward} does
     */
    public void forwardOnCallingThread(float[] x, int xOffset, int rows, float[] y, int yOffset) {
        checkBlocks(x, xOffset, rows, y, yOffset);
        GemmTiles.multiply(weights, x, xOffset, rows, y, yOffset, false);
    }

    private void checkBlocks(float[] x, int xOffset, int rows, float[] y, int yOffset) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (rows < 0) {
            throw new IllegalArgumentException("rows: expected at least 0, got " + rows);
        }
        if (xOffset < 0 || (long) xOffset + (long) rows * in > x.length) {
            throw new IllegalArgumentException("x: expected " + rows + " rows of " + in + " floats from offset "
                    + xOffset + " (" + ((long) xOffset + (long) rows * in) + " floats), got an array of "
                    + x.length);
        }
        if (yOffset < 0 || (long) yOffset + (long) rows * out > y.length) {
            throw new IllegalArgumentException("y: expected " + rows + " rows of " + out + " floats from offset "
                    + yOffset + " (" + ((long) yOffset + (long) rows * out) + " floats), got an array of "
                    + y.length);
        }
    }
}
