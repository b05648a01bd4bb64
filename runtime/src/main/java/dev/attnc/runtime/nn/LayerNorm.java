package dev.attnc.runtime.nn;

import dev.attnc.runtime.kernel.VectorMath;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * PyTorch's {@code nn.LayerNorm(dim, eps)} over the last dimension: {@code (x − mean)/sqrt(var +
 * eps)·weight + bias} with the biased variance, rows in parallel. Immutable, thread-safe.
 */
public final class LayerNorm {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int PARALLEL_ROWS = 64;

    private final float[] weight;
    private final float[] bias;
    private final float eps;

    private LayerNorm(float[] weight, float[] bias, float eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    /**
     * @param weight {@code [dim]}
     * @param bias {@code [dim]}
     * @throws IllegalArgumentException when the sizes differ or eps is not positive
     */
    public static LayerNorm of(float[] weight, float[] bias, double eps) {
        if (bias.length != weight.length) {
            throw new IllegalArgumentException(
                    "LayerNorm bias: expected [" + weight.length + "] floats (as the weight), got " + bias.length);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("LayerNorm eps must be a positive number, got " + eps);
        }
        return new LayerNorm(weight.clone(), bias.clone(), (float) eps);
    }

    public int dim() {
        return weight.length;
    }

    /** {@code x[r] = LN(x[r])} for {@code rows} rows of {@link #dim()} floats from offset 0. */
    public void apply(float[] x, int rows) {
        addAndApply(x, null, rows);
    }

    /**
     * {@code x[r] = LN(x[r] + residual[r])} (a post-norm residual block) for {@code rows} rows;
     * {@code residual} may be null.
     */
    public void addAndApply(float[] x, float[] residual, int rows) {
        int dim = weight.length;
        if ((long) rows * dim > x.length || (residual != null && (long) rows * dim > residual.length)) {
            throw new IllegalArgumentException("LayerNorm: " + rows + " rows of " + dim + " floats do not fit x ("
                    + x.length + ")" + (residual == null ? "" : " or residual (" + residual.length + ")"));
        }
        IntStream range = IntStream.range(0, rows);
        (rows >= PARALLEL_ROWS ? range.parallel() : range).forEach(r -> row(x, residual, r * dim));
    }

    private void row(float[] x, float[] residual, int off) {
        int dim = weight.length;
        int upper = S.loopBound(dim);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        if (residual != null) {
            for (; i < upper; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, off + i).add(FloatVector.fromArray(S, residual, off + i));
                v.intoArray(x, off + i);
                acc = acc.add(v);
            }
            for (; i < dim; i++) {
                x[off + i] += residual[off + i];
            }
        }
        double sum = 0;
        i = 0;
        if (residual == null) {
            for (; i < upper; i += S.length()) {
                acc = acc.add(FloatVector.fromArray(S, x, off + i));
            }
        } else {
            i = upper;
        }
        sum += VectorMath.sum(acc);
        for (; i < dim; i++) {
            sum += x[off + i];
        }
        float mean = (float) (sum / dim);
        FloatVector m = FloatVector.broadcast(S, mean);
        FloatVector sq = FloatVector.zero(S);
        for (i = 0; i < upper; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(m);
            sq = d.fma(d, sq);
        }
        double var = VectorMath.sum(sq);
        for (; i < dim; i++) {
            double d = x[off + i] - mean;
            var += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(var / dim + eps));
        FloatVector scale = FloatVector.broadcast(S, inv);
        for (i = 0; i < upper; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).sub(m).mul(scale);
            v.fma(FloatVector.fromArray(S, weight, i), FloatVector.fromArray(S, bias, i))
                    .intoArray(x, off + i);
        }
        for (; i < dim; i++) {
            x[off + i] = (x[off + i] - mean) * inv * weight[i] + bias[i];
        }
    }
}
