package dev.attnc.compiler.exec;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;

/** {@code java}: the pattern's generated Vector-API kernel, compiled in memory once per {@link #open}. */
final class JavaBackend extends BaseBackend {

    JavaBackend() {
        super("java");
    }

    @Override
    BackendKernel openChecked(CheckedPattern pattern, RunOptions options) {
        Object kernel = JavaKernels.load(pattern.ir(), options.schedule());
        return new OpenedKernel(name(), pattern, options) {
            @Override
            float[] softmax(AttentionInputs in) {
                return ((AttentionKernel) kernel).compute(in);
            }

            @Override
            float[] additive(AdditiveInputs in) {
                return ((AdditiveKernel) kernel).compute(in);
            }
        };
    }
}
