package dev.attnc.compiler.exec;

import dev.attnc.compiler.interp.ReferenceAttention;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionInputs;

/**
 * {@code reference}: the dense oracle in double precision, {@code O(n²)}: the interpreter's mask
 * of the pattern's declaration ({@link ReferenceAttention}) for softmax patterns,
 * {@link AdditiveReference} for additive ones. Outputs are rounded to float.
 */
final class ReferenceBackend extends BaseBackend {

    ReferenceBackend() {
        super("reference");
    }

    @Override
    BackendKernel openChecked(CheckedPattern pattern, RunOptions options) {
        double scale = pattern.ir().effectiveScale();
        return new OpenedKernel(name(), pattern, options) {
            @Override
            float[] softmax(AttentionInputs in) {
                return toFloats(ReferenceAttention.compute(pattern.unit(), pattern.name(), in, scale));
            }

            @Override
            float[] additive(AdditiveInputs in) {
                return toFloats(AdditiveReference.attention(in, scale));
            }
        };
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
