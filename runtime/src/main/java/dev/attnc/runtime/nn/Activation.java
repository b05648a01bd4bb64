package dev.attnc.runtime.nn;

import dev.attnc.runtime.kernel.VectorMath;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The feed-forward activations of the supported models, by their Hugging Face names
 * ({@code config.json}'s {@code hidden_act}), applied in place on the Vector API.
 */
public enum Activation {
    /** {@code "gelu"}: exact, {@code x·Φ(x) = x/2·(1 + erf(x/√2))} (PyTorch's default GELU). */
    GELU,
    /** {@code "gelu_new"}, {@code "gelu_pytorch_tanh"}, {@code "gelu_fast"}: {@code x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    GELU_TANH,
    /** {@code "relu"}. */
    RELU,
    /** {@code "tanh"}. */
    TANH;

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float INV_SQRT2 = 0.7071067811865476f;

    /**
     * The activation of a {@code hidden_act} value.
     *
     * @throws IllegalArgumentException naming the value and the supported ones
     */
    public static Activation fromHuggingFace(String hiddenAct) {
        switch (hiddenAct.toLowerCase(Locale.ROOT)) {
            case "gelu":
                return GELU;
            case "gelu_new":
            case "gelu_pytorch_tanh":
            case "gelu_fast":
                return GELU_TANH;
            case "relu":
                return RELU;
            case "tanh":
                return TANH;
            default:
                throw new IllegalArgumentException("hidden_act \"" + hiddenAct
                        + "\" is not supported; supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, tanh");
        }
    }

    /** {@code a[from .. to) = act(a[from .. to))}. */
    public void apply(float[] a, int from, int to) {
        int i = from;
        int upper = from + S.loopBound(to - from);
        switch (this) {
            case GELU:
                for (; i < upper; i += S.length()) {
                    FloatVector x = FloatVector.fromArray(S, a, i);
                    erfGelu(x).intoArray(a, i);
                }
                for (; i < to; i++) {
                    a[i] = gelu(a[i]);
                }
                break;
            case GELU_TANH:
                for (; i < upper; i += S.length()) {
                    FloatVector x = FloatVector.fromArray(S, a, i);
                    FloatVector inner = x.mul(x).mul(0.044715f).add(1f).mul(x).mul(SQRT_2_OVER_PI);
                    x.mul(0.5f).mul(VectorMath.tanh(inner).add(1f)).intoArray(a, i);
                }
                for (; i < to; i++) {
                    a[i] = geluTanh(a[i]);
                }
                break;
            case RELU:
                for (; i < upper; i += S.length()) {
                    FloatVector.fromArray(S, a, i).max(0f).intoArray(a, i);
                }
                for (; i < to; i++) {
                    a[i] = Math.max(a[i], 0f);
                }
                break;
            case TANH:
                for (; i < upper; i += S.length()) {
                    VectorMath.tanh(FloatVector.fromArray(S, a, i)).intoArray(a, i);
                }
                for (; i < to; i++) {
                    a[i] = (float) Math.tanh(a[i]);
                }
                break;
            default:
                throw new AssertionError(this);
        }
    }

    /** The scalar value, for tails and tests. */
    public float apply(float x) {
        switch (this) {
            case GELU:
                return gelu(x);
            case GELU_TANH:
                return geluTanh(x);
            case RELU:
                return Math.max(x, 0f);
            case TANH:
                return (float) Math.tanh(x);
            default:
                throw new AssertionError(this);
        }
    }

    private static float gelu(float x) {
        return (float) (0.5 * x * (1.0 + Erf.erf(x * (double) INV_SQRT2)));
    }

    private static float geluTanh(float x) {
        double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1.0 + Math.tanh(inner)));
    }

    private static FloatVector erfGelu(FloatVector x) {
        return x.mul(0.5f).mul(Erf.erf(x.mul(INV_SQRT2)).add(1f));
    }
}
